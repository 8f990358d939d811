import { isGone } from "../../client/is-gone";
import type { PlanStep } from "../../plan/plan-types";
import type { StepContext } from "../step-context";
import { StepStalled } from "../step-outcome";

type SwitchStep = Extract<PlanStep, { kind: "switch-traffic" }>;

/** Blue-green: green machines (healthy by now) take traffic, then blue ones stop taking it. */
export async function switchTraffic(ctx: StepContext, step: SwitchStep) {
  const machines = await ctx.client.listMachines(ctx.app);
  for (const name of step.green) {
    const m = machines.find((x) => x.name === name && !isGone(x));
    if (!m) throw new StepStalled(`green machine ${name} is missing`);
    await ctx.client.uncordon(ctx.app, m.id);
  }
  for (const id of step.blue) {
    const m = machines.find((x) => x.id === id);
    if (!isGone(m)) await ctx.client.cordon(ctx.app, id);
  }
}
