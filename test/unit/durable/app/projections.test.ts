import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor, isDeployCursor } from "../../../../src/durable/app/deploy-cursor";
import { toDeployDetailOf, toSummary } from "../../../../src/durable/app/projections";
import { type AppState, findDeploy, initialState } from "../../../../src/durable/app/state";
import { TowerError } from "../../../../src/errors";
import { at, desire, given, step, succeed, target, tick } from "./given";

const history = () =>
  given(
    desire("k1", target("h1", "c1")),
    tick(0),
    step("d-k1", "update", "done", 1),
    succeed("d-k1", 2),
    desire("k2", target("h2", "c2"), 10),
    tick(10),
    step("d-k2", "release-command", "stalled", 12, "exit code 1"),
    desire("k3", target("h3", "c3"), 20),
    tick(20),
    { type: "record-plan", at: at(21), deployId: "d-k3", image: "registry.fly.io/web:abc", planSummary: { update: 2 } },
    step("d-k3", "update", "wait", 22),
  ).state;

describe("AppDO projections", () => {
  it("an app with no desired state has no summary", () => {
    expect(toSummary(initialState())).toBeNull();
  });

  it("status follows the log: pending → deploying → synced / failed", () => {
    expect(toSummary(given(desire("k1", target("h1"))).state)?.status).toBe("pending");
    expect(toSummary(given(desire("k1", target("h1")), tick()).state)?.status).toBe("deploying");
    expect(toSummary(given(desire("k1", target("h1")), tick(), succeed("d-k1")).state)).toMatchObject({
      name: "web",
      org: "acme",
      status: "synced",
      desired: { configHash: "h1" },
      deployed: { configHash: "h1" },
      lastDeploy: { id: "d-k1", outcome: "succeeded", release: 1 },
    });
    const failed = given(desire("k1", target("h1")), tick(), step("d-k1", "plan", "stalled", 0, "boom")).state;
    expect(toSummary(failed)).toMatchObject({ status: "failed", deployed: { configHash: null } });
  });

  // Paging itself is the deploy history table's (test/workers/durable/app, test/workers/api/history).
  it("gives out opaque page cursors and refuses one it did not give out, naming the field", () => {
    expect(decodeCursor(encodeCursor(42))).toBe(42);
    expect(() => decodeCursor("nonsense!")).toThrow(TowerError);
    expect(() => decodeCursor(btoa("x:1"))).toThrow(/not one Tower gave out/);
    expect([isDeployCursor("nonsense!"), isDeployCursor(encodeCursor(7))]).toEqual([false, true]);
  });

  it("shows a deploy's steps with timings, image, plan summary and error", () => {
    const state = history();
    const detail = (s: AppState, id: string) => {
      const record = findDeploy(s, id);
      return record ? toDeployDetailOf(record) : null;
    };
    expect(detail(state, "d-k2")).toMatchObject({
      release: 2,
      error: "release-command: exit code 1",
      steps: [{ name: "release-command", outcome: "stalled", message: "exit code 1" }],
    });
    expect(detail(state, "d-k3")).toMatchObject({
      image: "registry.fly.io/web:abc",
      planSummary: { update: 2 },
      steps: [{ name: "update", outcome: "wait", startedAt: at(22) }],
      finishedAt: null,
    });
    expect(detail(state, "missing")).toBeNull();
  });
});
