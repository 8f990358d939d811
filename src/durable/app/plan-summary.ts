/** Counts of what a plan will do, for the deploy detail: `{ "machines.update": 2, "set-secrets": 1 }`. */
import type { Plan } from "../../fly";

export function summarisePlan(plan: Plan): Record<string, number> {
  const counts: Record<string, number> = {};
  const add = (key: string) => {
    counts[key] = (counts[key] ?? 0) + 1;
  };
  for (const step of plan.steps) {
    if (step.kind === "machines") for (const change of step.changes) add(`machines.${change.op}`);
    else add(step.kind);
  }
  return counts;
}
