import { describe, expect, it } from "vitest";
import { batchSize } from "../../../../src/fly/plan/lay-out-strategy";
import { planDeploy } from "../../../../src/fly/plan/plan-deploy";
import type { PlanStep } from "../../../../src/fly/plan/plan-types";
import { liveAfter, shopApp } from "../fixture-app";

const summary = (steps: PlanStep[]) =>
  steps.map((s) =>
    s.kind === "machines"
      ? `${s.id}: ${s.changes.map((c) => `${c.op} ${c.name}${c.op === "create" && c.skipServiceRegistration ? " (dark)" : ""}`).join(", ")}${s.wait ? "" : " (no wait)"}`
      : s.kind === "switch-traffic"
        ? `switch: on ${s.green.join(" ")}; off ${s.blue.join(" ")}`
        : s.id,
  );

function webOnly(strategy: "rolling" | "immediate" | "canary" | "bluegreen", image: string) {
  const app = shopApp({ deploy: { strategy, maxUnavailable: 2, waitTimeoutMs: 60_000 } }, image);
  app.groups = app.groups.filter((g) => g.processGroup === "web");
  app.volumes = [];
  return app;
}

describe("strategies", () => {
  const live = liveAfter(webOnly("rolling", "img:v1"));

  it("rolling: first alone, then batches of max_unavailable", () => {
    expect(summary(planDeploy(webOnly("rolling", "img:v2"), live).steps)).toEqual([
      "machines-1: update web-ams-1",
      "machines-2: update web-ams-2, update web-iad-1",
      "machines-3: update web-iad-2",
    ]);
  });

  it("immediate: everything at once, without waiting", () => {
    expect(summary(planDeploy(webOnly("immediate", "img:v2"), live).steps)).toEqual([
      "machines-1: update web-ams-1, update web-ams-2, update web-iad-1, update web-iad-2 (no wait)",
    ]);
  });

  it("canary: one, then the rest", () => {
    expect(summary(planDeploy(webOnly("canary", "img:v2"), live).steps)).toEqual([
      "machines-1: update web-ams-1",
      "machines-2: update web-ams-2, update web-iad-1, update web-iad-2",
    ]);
  });

  it("bluegreen: dark green machines, a switch, then blue destroyed", () => {
    expect(summary(planDeploy(webOnly("bluegreen", "img:v2"), live).steps)).toEqual([
      "machines-1: create web-ams-3 (dark), create web-ams-4 (dark), create web-iad-3 (dark), create web-iad-4 (dark)",
      "switch: on web-ams-3 web-ams-4 web-iad-3 web-iad-4; off m-web-ams-1 m-web-ams-2 m-web-iad-1 m-web-iad-2",
      "machines-2: destroy web-ams-1, destroy web-ams-2, destroy web-iad-1, destroy web-iad-2 (no wait)",
    ]);
  });

  it("bluegreen with volumes deploys rolling and says why", () => {
    const desired = shopApp({ deploy: { ...shopApp().deploy, strategy: "bluegreen" } }, "img:v2");
    const plan = planDeploy(desired, liveAfter(shopApp()));
    expect(plan.strategy).toBe("rolling");
    expect(plan.notes).toEqual(["bluegreen cannot move volumes between machines: deploying rolling instead"]);
  });

  it("max_unavailable is a fraction (rounded up) or a count, at least one", () => {
    expect([batchSize(0.33, 6), batchSize(0.33, 1), batchSize(0.5, 5), batchSize(3, 10), batchSize(0, 4)]).toEqual([
      2, 1, 3, 3, 1,
    ]);
  });
});
