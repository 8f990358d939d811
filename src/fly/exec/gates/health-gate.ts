import type { FlyCheckStatus, FlyMachine } from "../../client/fly-types";
import { isGone } from "../../client/is-gone";
import { configuredChecks } from "../../plan/configured-checks";
import type { MachineRecord } from "../journal";
import { requireTime, type StepContext } from "../step-context";
import { GateFailed, StepStalled } from "../step-outcome";
import { boundedOutput } from "./bounded-output";
import { crashLoopExitCode } from "./crash-loop";

/**
 * The gate a started machine passes before the rollout goes on. With checks in its config: wait
 * until Fly reports at least one result and every result passes, up to `[deploy] wait_timeout`
 * (flyctl internal/machine/leasable_machine.go WaitForHealthchecksToPass: an empty list is not
 * "all passing"); a check still failing then fails the deploy naming the machine, the check and
 * its output. Without checks: the smoke gate (flyctl WaitForSmokeChecksToPass) — watched for
 * `smokeMs` after start, a crash loop fails it. Either way a crash loop ends the wait at once.
 * The start of the wait is kept in the record, so a wait spread over slices keeps one deadline.
 */
export async function passGate(ctx: StepContext, id: string, rec: MachineRecord, tick?: () => Promise<unknown>) {
  rec.gateSince ??= ctx.now();
  for (;;) {
    await tick?.();
    const m = await ctx.client.getMachine(ctx.app, id);
    if (!m || isGone(m)) throw new StepStalled(`machine ${id} disappeared while Tower waited for it to be healthy`);
    const crashed = crashLoopExitCode(m);
    const checked = configuredChecks(m.config) > 0;
    if (crashed !== undefined) throw crashing(id, crashed, checked ? "health" : "smoke");
    if (m.state === "failed")
      throw new GateFailed({ gate: checked ? "health" : "smoke", machine: id }, `machine ${id} failed to start`);
    const waited = ctx.now() - rec.gateSince;
    if (checked) {
      const results = m.checks ?? [];
      if (results.length > 0 && results.every((c) => c.status === "passing")) return;
      if (waited >= ctx.plan.waitTimeoutMs) throw unhealthy(ctx, m, results);
    } else if (waited >= ctx.smokeMs) return;
    const left = checked ? ctx.plan.waitTimeoutMs - waited : ctx.smokeMs - waited;
    const pause = Math.max(50, Math.min(ctx.pollMs, left));
    requireTime(ctx, pause + 500, `waiting for machine ${id} to be healthy`);
    await ctx.sleep(pause);
  }
}

function crashing(id: string, exitCode: number, gate: "health" | "smoke"): GateFailed {
  return new GateFailed(
    { gate, machine: id, exitCode },
    `the app appears to be crashing: machine ${id} keeps exiting with code ${exitCode} and restarting`,
  );
}

function unhealthy(ctx: StepContext, m: FlyMachine, results: FlyCheckStatus[]): GateFailed {
  const s = Math.round(ctx.plan.waitTimeoutMs / 1000);
  const bad = results.find((c) => c.status !== "passing");
  if (!bad)
    return new GateFailed(
      { gate: "health", machine: m.id },
      `machine ${m.id}: no check results after ${s}s (wait_timeout); ${configuredChecks(m.config)} check(s) configured`,
    );
  const output = boundedOutput(bad.output);
  return new GateFailed(
    { gate: "health", machine: m.id, ...(bad.name ? { check: bad.name } : {}), ...(output ? { output } : {}) },
    `machine ${m.id}: check ${bad.name ?? "(unnamed)"} is ${bad.status} after ${s}s (wait_timeout)${output ? `: ${output}` : ""}`,
  );
}
