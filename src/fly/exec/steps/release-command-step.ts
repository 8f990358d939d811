import { exitCodeOf } from "../../client/exit-code";
import type { PlanStep } from "../../plan/plan-types";
import { finalConfig, type StepContext, secretsVersion } from "../step-context";
import { StepStalled } from "../step-outcome";
import { findByName, waitFor } from "./machine-ops";

type ReleaseStep = Extract<PlanStep, { kind: "release-command" }>;

/**
 * Runs `release_command` in a one-off machine (named after the run, so a repeat finds it instead
 * of starting a second one), waits for it to be destroyed and reads its exit code from its
 * events: anything but 0 stops the deploy before any app machine changes.
 */
export async function runReleaseCommand(ctx: StepContext, step: ReleaseStep) {
  const name = `release-command-${ctx.journal.runId}`.slice(0, 63);
  if (!ctx.record.machineId) {
    const found = await findByName(ctx, name, true);
    const m =
      found ??
      (await ctx.client.createMachine(
        ctx.app,
        {
          name,
          region: step.region,
          config: finalConfig(ctx, step.config),
          ...secretsVersion(ctx),
        },
        { oneOff: true },
      ));
    ctx.record.machineId = m.id;
  }
  const id = ctx.record.machineId;
  // flyctl machines.go: the command may run for `release_command_timeout`, not `wait_timeout`.
  await waitFor(ctx, id, "destroyed", undefined, undefined, step.timeoutMs);
  const events = await ctx.client.machineEvents(ctx.app, id, 50);
  const code = exitCodeOf(events);
  if (code === undefined) throw new StepStalled(`release command machine ${id} ended without an exit event`);
  if (code !== 0) throw new StepStalled(`release command \`${step.command}\` exited with code ${code}`);
}
