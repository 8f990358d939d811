import type { MachineChange } from "../../plan/plan-types";
import { testMachineConfig } from "../../plan/test-machine";
import type { MachineRecord } from "../journal";
import { finalConfig, type StepContext, secretsVersion } from "../step-context";
import { StepStalled } from "../step-outcome";
import { findByName, waitFor } from "./machine-ops";

/**
 * Runs the group's `machine_checks` against a machine that was just changed and is healthy, as
 * flyctl's `runTestMachines` (internal/command/deploy/machinebasedtest.go) does: one test machine
 * per check, each waited for until it is gone, its exit code read from its events; anything but 0
 * stops the rollout. Test machines are named after the run and the machine, so a repeat finds
 * them instead of starting more.
 */
export async function runMachineChecks(ctx: StepContext, change: MachineChange, rec: MachineRecord) {
  if (change.op === "destroy" || !rec.id) return;
  const group = ctx.desired.groups.find((g) => g.processGroup === change.group && g.region === change.region);
  const checks = group?.machineChecks ?? [];
  if (checks.length === 0) return;
  const tested = await ctx.client.getMachine(ctx.app, rec.id);
  if (!tested) throw new StepStalled(`machine ${rec.id} disappeared before its machine checks`);
  const limit = ctx.desired.deploy.releaseCommandTimeoutMs ?? 5 * 60_000;
  const ids = (rec.checkMachines ??= []);
  for (const [i, spec] of checks.entries()) {
    const name = `machine-check-${ctx.journal.runId}-${rec.id}-${i + 1}`.slice(0, 63);
    if (!ids[i]) {
      const found = await findByName(ctx, name, true);
      const config = finalConfig(ctx, testMachineConfig(spec, tested, ctx.desired.primaryRegion));
      const m =
        found ??
        (await ctx.client.createMachine(
          ctx.app,
          { name, region: tested.region ?? ctx.desired.primaryRegion, config, ...secretsVersion(ctx) },
          { oneOff: true },
        ));
      ids[i] = m.id;
    }
    await waitFor(ctx, ids[i]!, "destroyed", undefined, undefined, limit);
    const events = await ctx.client.machineEvents(ctx.app, ids[i]!, 50);
    const exit = events.find((e) => e.type === "exit");
    // fly-go GetExitCode reads a missing exit_code as 0.
    const code = (exit?.request?.exit_event as { exit_code?: number } | undefined)?.exit_code ?? 0;
    if (!exit) throw new StepStalled(`machine check machine ${ids[i]} ended without an exit event`);
    if (code !== 0)
      throw new StepStalled(
        `machine check \`${spec.command.join(" ")}\` against machine ${rec.id} exited with code ${code}`,
      );
  }
}
