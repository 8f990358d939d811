import { describe, expect, it } from "vitest";
import { planDeploy } from "../../../../src/fly/plan/plan-deploy";
import type { MachineChange, PlanStep } from "../../../../src/fly/plan/plan-types";
import { liveAfter, shopApp } from "../fixture-app";

const changes = (steps: PlanStep[]): MachineChange[] => steps.flatMap((s) => (s.kind === "machines" ? s.changes : []));

describe("planDeploy with force (admin redeploy)", () => {
  it("updates every managed machine in place with the same config, through the rolling strategy", () => {
    const desired = shopApp();
    const live = liveAfter(desired);
    expect(planDeploy(desired, live).steps).toEqual([]);
    const plan = planDeploy(desired, live, { force: true });
    expect(plan.steps.map((s) => s.id)).toEqual(["release-command", "machines-1", "machines-2", "machines-3"]);
    const all = changes(plan.steps);
    expect(all.map((c) => c.op)).toEqual(Array(6).fill("update"));
    expect(all.map((c) => (c.op === "update" ? c.machineId : "")).sort()).toEqual(
      live.machines.map((m) => m.id).sort(),
    );
    // Each batch waits for started and passing checks, as any rolling update does.
    expect(plan.steps.every((s) => s.kind !== "machines" || s.wait)).toBe(true);
    // Same config as Fly runs (volumes kept): only the release stamp the executor adds differs.
    for (const c of all) {
      const m = live.machines.find((x) => c.op === "update" && x.id === c.machineId)!;
      expect(c.op === "update" && c.config.metadata?.tower_config).toBe(m.config?.metadata?.tower_config);
      expect(c.op === "update" && c.config.image).toBe(m.config?.image);
      expect(c.op === "update" && c.config.mounts).toEqual(m.config?.mounts?.map(({ size_gb: _s, ...x }) => x));
    }
  });

  it("creates, destroys and touches nothing else, and follows other strategies too", () => {
    const desired = shopApp({ deploy: { ...shopApp().deploy, releaseCommand: undefined, strategy: "canary" } });
    const plan = planDeploy(desired, liveAfter(desired), { force: true });
    expect(plan.steps.map((s) => s.kind)).toEqual(["machines", "machines"]);
    expect(changes(plan.steps).filter((c) => c.op !== "update")).toEqual([]);
    expect(plan.steps[0]!.kind === "machines" && plan.steps[0]!.changes).toHaveLength(1);
  });

  it("a forced plan still creates a missing machine once, not as an update", () => {
    const desired = shopApp({ deploy: { ...shopApp().deploy, releaseCommand: undefined } });
    const live = liveAfter(desired);
    live.machines = live.machines.filter((m) => m.name !== "web-iad-2");
    const ops = changes(planDeploy(desired, live, { force: true }).steps).map((c) => `${c.op} ${c.name}`);
    expect(ops.filter((o) => o.startsWith("create"))).toEqual(["create web-iad-2"]);
    expect(ops.filter((o) => o.startsWith("update"))).toHaveLength(5);
  });
});
