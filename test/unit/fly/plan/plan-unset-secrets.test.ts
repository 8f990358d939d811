import { describe, expect, it } from "vitest";
import { planDeploy } from "../../../../src/fly/plan/plan-deploy";
import { liveAfter, shopApp } from "../fixture-app";

const immediate = { ...shopApp().deploy, releaseCommand: undefined, strategy: "immediate" as const };

describe("planDeploy: secrets the config dropped", () => {
  it("unsets a name Tower set before that the config no longer has, then updates the machines", () => {
    const live = liveAfter(shopApp());
    live.secretNames = ["API_KEY", "DATABASE_URL", "HAND_SET"];
    const desired = shopApp({
      secrets: { DATABASE_URL: "postgres://db/shop" },
      secretsDigest: "sec-2",
      deploy: immediate,
    });
    const plan = planDeploy(desired, live, { managedSecrets: ["API_KEY", "DATABASE_URL"] });
    expect(plan.steps.map((s) => s.kind)).toEqual(["set-secrets", "unset-secrets", "machines"]);
    expect(plan.steps[1]).toEqual({ id: "unset-secrets", kind: "unset-secrets", names: ["API_KEY"] });
    const ops = plan.steps.flatMap((s) => (s.kind === "machines" ? s.changes.map((c) => c.op) : []));
    expect(ops).toEqual(Array(6).fill("update"));
    expect(JSON.stringify(plan)).not.toContain("postgres://");
  });

  it("leaves alone a name Tower never set (set by hand), even when the config has none of it", () => {
    const live = liveAfter(shopApp());
    live.secretNames = ["API_KEY", "DATABASE_URL", "HAND_SET"];
    const plan = planDeploy(shopApp(), live, { managedSecrets: ["API_KEY", "DATABASE_URL"] });
    expect(plan.steps).toEqual([]);
    const noManaged = planDeploy(shopApp({ secrets: {}, secretsDigest: "sec-0", deploy: immediate }), live);
    expect(noManaged.steps.map((s) => s.kind)).toEqual(["machines"]);
  });

  it("plans no unset for a managed name Fly no longer has, and restarts machines after an unset alone", () => {
    const live = liveAfter(shopApp());
    const desired = shopApp({ secrets: { DATABASE_URL: "postgres://db/shop" }, deploy: immediate });
    live.secretNames = ["DATABASE_URL"];
    expect(planDeploy(desired, live, { managedSecrets: ["API_KEY", "DATABASE_URL"] }).steps).toEqual([]);
    // Same digest on the machines, but Fly still holds a dropped name: they restart to lose it.
    live.secretNames = ["API_KEY", "DATABASE_URL"];
    const plan = planDeploy(desired, live, { managedSecrets: ["API_KEY", "DATABASE_URL"] });
    expect(plan.steps.map((s) => s.kind)).toEqual(["unset-secrets", "machines"]);
  });
});
