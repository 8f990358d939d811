import { isGone } from "../../client/is-gone";
import { sameConfig } from "../../plan/machine-config";
import type { MachineChange, PlanStep } from "../../plan/plan-types";
import { passGate } from "../gates/health-gate";
import type { MachineRecord } from "../journal";
import { finalConfig, type StepContext, secretsVersion } from "../step-context";
import { StepStalled, StepWaiting } from "../step-outcome";
import { runMachineChecks } from "./machine-checks";
import { findByName, holdLease, releaseLease, waitFor } from "./machine-ops";

type MachinesStep = Extract<PlanStep, { kind: "machines" }>;

/**
 * One batch of machine changes: apply each (under a lease where a machine exists), then wait until
 * each new or changed machine has started and, when the strategy gates, passed its gate (checks,
 * or the smoke window: gates/health-gate.ts); then let the leases go. Immediate waits for the
 * start only: it has no gates, as with flyctl, but a deploy whose machines never start has not
 * succeeded. Every change looks at Fly first, so repeating the batch is safe.
 */
export async function runMachines(ctx: StepContext, step: MachinesStep) {
  const recs = (ctx.record.machines ??= {});
  const rec = (i: number) => (recs[i] ??= {});
  if (step.graceful) await drained(ctx);
  await all(step.changes.map((c, i) => apply(ctx, c, rec(i), step.graceful ?? false)));
  await all(step.changes.map((c, i) => (c.op === "destroy" ? Promise.resolve() : settle(ctx, c, rec(i), step.wait))));
  await all(step.changes.map((_c, i) => releaseLease(ctx, rec(i).id, rec(i))));
}

/**
 * After a stall: lets go of every lease the step holds, and destroys the blue-green machines it
 * created that never took traffic (created dark), so a failed green leaves blue as it was.
 */
export async function abandon(ctx: StepContext, step: MachinesStep | undefined) {
  const recs = ctx.record.machines ?? {};
  for (const r of Object.values(recs)) await releaseLease(ctx, r.id, r).catch(() => {});
  if (!step) return;
  for (const [i, c] of step.changes.entries()) {
    const id = recs[i]?.id;
    if (c.op !== "create" || !c.skipServiceRegistration || !id) continue;
    await ctx.client.deleteMachine(ctx.app, id, { force: true }).catch(() => {});
  }
}

/** Blue-green: blue machines were cordoned by the switch; they finish in-flight work before they stop. */
async function drained(ctx: StepContext) {
  const left = ctx.record.startedAt + ctx.drainMs - ctx.now();
  if (left > 0) throw new StepWaiting(left, `blue machines draining for ${Math.ceil(left / 1000)}s more`);
}

async function apply(ctx: StepContext, c: MachineChange, rec: MachineRecord, graceful: boolean) {
  if (rec.applied) return;
  switch (c.op) {
    case "create":
      await create(ctx, c, rec);
      break;
    case "update":
      await update(ctx, c, rec);
      break;
    case "replace":
      // The old machine must be gone before its volume can go to the new one.
      await destroy(ctx, c.machineId, rec);
      if (!isGone(await ctx.client.getMachine(ctx.app, c.machineId)) || (await volumesBusy(ctx, c.machineId)))
        await waitFor(ctx, c.machineId, "destroyed");
      await create(ctx, { ...c, op: "create" }, rec);
      break;
    case "destroy":
      if (graceful) await stopGracefully(ctx, c.machineId, rec);
      await destroy(ctx, c.machineId, rec, !graceful);
      break;
    default: {
      const never: never = c;
      throw new Error(`unknown change ${JSON.stringify(never)}`);
    }
  }
  rec.applied = true;
}

async function create(ctx: StepContext, c: Extract<MachineChange, { op: "create" }>, rec: MachineRecord) {
  const found = await findByName(ctx, c.name);
  const m =
    found ??
    (await ctx.client.createMachine(ctx.app, {
      name: c.name,
      region: c.region,
      config: finalConfig(ctx, c.config, c.volumes),
      ...(c.skipServiceRegistration ? { skip_service_registration: true } : {}),
      ...secretsVersion(ctx),
    }));
  rec.id = m.id;
  if (m.instance_id) rec.version = m.instance_id;
}

async function update(ctx: StepContext, c: Extract<MachineChange, { op: "update" }>, rec: MachineRecord) {
  rec.id = c.machineId;
  const nonce = await holdLease(ctx, c.machineId, rec);
  const live = await ctx.client.getMachine(ctx.app, c.machineId);
  if (isGone(live)) throw new StepStalled(`machine ${c.name} (${c.machineId}) disappeared before its update`);
  const config = finalConfig(ctx, c.config);
  // An update whose answer was lost already happened: do not restart the machine again.
  const done = sameConfig(config, live!.config) && live!.config?.metadata?.fly_release_id === ctx.journal.release.id;
  // flyctl machines_launchinput.go shouldSkipLaunch: a machine that is not running (stopped,
  // suspended: scale to zero) is updated without being started, so a deploy does not wake it.
  // Once the update happened, the state is the update's doing (`replacing`, then `starting`):
  // only a machine that stayed down is asleep, the rest is on its way up and is waited for.
  const state = live!.state ?? "";
  const asleep = done ? down.has(state) : !awake.has(state);
  if (asleep) rec.asleep = true;
  if (done) return;
  const body = { config, ...secretsVersion(ctx), ...(asleep ? { skip_launch: true } : {}) };
  const m = await ctx.client.updateMachine(ctx.app, c.machineId, body, nonce);
  if (m?.instance_id) rec.version = m.instance_id;
}

/** States in which flyctl updates a machine and lets it start (shouldSkipLaunch). */
const awake = new Set(["started", "starting", "failed"]);
/** States of a machine that an update with `skip_launch` left down. */
const down = new Set(["stopped", "suspended"]);

async function destroy(ctx: StepContext, id: string, rec: MachineRecord, force = true) {
  const live = await ctx.client.getMachine(ctx.app, id);
  if (isGone(live)) return;
  const nonce = await holdLease(ctx, id, rec);
  await ctx.client.deleteMachine(ctx.app, id, { force, nonce });
  delete rec.lease; // the lease ends with the machine
}

/**
 * Stops a machine the way it asks to be stopped (its `stop_config` signal and timeout apply) and
 * waits until it has, so it can finish what it is doing (flyctl strategy_bluegreen.go
 * StopBlueMachines, WaitForBlueMachinesToBeStopped); only then is it destroyed.
 */
async function stopGracefully(ctx: StepContext, id: string, rec: MachineRecord) {
  if (rec.stopped) return;
  const live = await ctx.client.getMachine(ctx.app, id);
  if (isGone(live)) return;
  const nonce = await holdLease(ctx, id, rec);
  if (live!.state === "started" || live!.state === "starting") await ctx.client.stopMachine(ctx.app, id, {}, nonce);
  if (live!.state !== "stopped") await waitFor(ctx, id, "stopped", live!.instance_id, () => holdLease(ctx, id, rec));
  rec.stopped = true;
}

async function volumesBusy(ctx: StepContext, machineId: string) {
  return (await ctx.client.listVolumes(ctx.app)).some((v) => v.attached_machine_id === machineId);
}

/**
 * Waits for started and (when `gated`) the gate, then runs the group's machine checks, keeping the
 * machine's lease (if any) alive meanwhile.
 */
async function settle(ctx: StepContext, change: MachineChange, rec: MachineRecord, gated: boolean) {
  const id = rec.id;
  if (!id || rec.asleep) return;
  const tick = async () => {
    if (rec.lease) await holdLease(ctx, id, rec);
  };
  if (!rec.started) {
    await waitFor(ctx, id, "started", rec.version, tick);
    rec.started = true;
  }
  if (gated && !rec.healthy) {
    await passGate(ctx, id, rec, tick);
    rec.healthy = true;
  }
  if (gated && !rec.checked) {
    await runMachineChecks(ctx, change, rec);
    rec.checked = true;
  }
}

/** Like Promise.all, but waits for every branch so none keeps running after a failure. */
async function all(work: Promise<unknown>[]) {
  const results = await Promise.allSettled(work);
  const failed = results.filter((r): r is PromiseRejectedResult => r.status === "rejected").map((r) => r.reason);
  const first = failed.find((e) => e instanceof StepStalled) ?? failed[0];
  if (first !== undefined) throw first;
}
