import type { DeploySettings } from "../../config/desired-app";
import type { MachineChange, PlanStep } from "./plan-types";

type MachineStep = Extract<PlanStep, { kind: "machines" | "switch-traffic" }>;

/**
 * Orders machine changes into steps for a strategy. rolling: per process group, the first change
 * alone, then batches of `max_unavailable` of that group's machines (flyctl plan.go
 * `updateMachinesWRecovery` sizes the pool per group and rolls the groups side by side, so step n
 * holds batch n of every group); immediate: everything at once, no waiting; canary: one, then the
 * rest; bluegreen: all green machines, a traffic switch, then the blue ones destroyed.
 */
export function layOutStrategy(
  changes: MachineChange[],
  deploy: DeploySettings,
  machinesPerGroup: Record<string, number>,
): MachineStep[] {
  if (!changes.length) return [];
  const rank = { replace: 0, update: 0, create: 1, destroy: 2 } as const;
  const ordered = [...changes].sort((a, b) => rank[a.op] - rank[b.op]);
  const step = (i: number, list: MachineChange[], wait: boolean): MachineStep => ({
    id: `machines-${i}`,
    kind: "machines",
    changes: list,
    wait,
  });
  switch (deploy.strategy) {
    case "immediate":
      return [step(1, ordered, false)];
    case "canary":
      return ordered.length === 1
        ? [step(1, ordered, true)]
        : [step(1, ordered.slice(0, 1), true), step(2, ordered.slice(1), true)];
    case "bluegreen": {
      const green = ordered.filter((c) => c.op !== "destroy");
      const blue = ordered.filter((c) => c.op === "destroy");
      const out: MachineStep[] = [];
      if (green.length) out.push(step(1, green, true));
      out.push({
        id: "switch-traffic",
        kind: "switch-traffic",
        green: green.map((c) => c.name),
        blue: blue.map((c) => (c as { machineId: string }).machineId),
      });
      if (blue.length) out.push(step(2, blue, false));
      return out;
    }
    case "rolling": {
      const batches: MachineChange[][] = [];
      for (const group of [...new Set(ordered.map((c) => c.group))]) {
        const mine = ordered.filter((c) => c.group === group);
        const size = batchSize(deploy.maxUnavailable, machinesPerGroup[group] ?? mine.length);
        const own = [mine.slice(0, 1)];
        for (let i = 1; i < mine.length; i += size) own.push(mine.slice(i, i + size));
        own.forEach((batch, n) => {
          batches[n] = [...(batches[n] ?? []), ...batch];
        });
      }
      return batches.map((batch, n) => step(n + 1, batch, true));
    }
    default: {
      const never: never = deploy.strategy;
      throw new Error(`unknown strategy ${String(never)}`);
    }
  }
}

/** `max_unavailable` as a count: a fraction of the machines (rounded up) or an absolute number. */
export function batchSize(maxUnavailable: number, total: number): number {
  const n = maxUnavailable < 1 ? Math.ceil(total * maxUnavailable) : Math.floor(maxUnavailable);
  return Math.max(1, n);
}
