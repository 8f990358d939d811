import { FlyApiError } from "../../../errors";
import { isGone } from "../../client/is-gone";
import type { MachineRecord } from "../journal";
import { checkTimeout, requireTime, type StepContext } from "../step-context";
import { StepStalled, StepWaiting } from "../step-outcome";

/** A live machine of this name (names are unique among live machines): how creates look first. */
export async function findByName(ctx: StepContext, name: string, includeDeleted = false) {
  const list = await ctx.client.listMachines(ctx.app, includeDeleted ? { include_deleted: true } : {});
  return list.find((m) => m.name === name && (includeDeleted || !isGone(m))) ?? null;
}

/**
 * A lease nonce for `machineId`, kept in the record. A nonce is only presented while it is surely
 * alive (a lapsed one counts as two holders at once); otherwise a new lease is taken. A lease of
 * this run whose nonce was lost in a crash is picked up again from GET lease.
 */
export async function holdLease(ctx: StepContext, machineId: string, rec: MachineRecord): Promise<string> {
  const t = ctx.now();
  const ttl = ctx.leaseTtlS;
  const until = () => ctx.now() + ttl * 800;
  if (rec.lease && rec.lease.until - t > ttl * 500) return rec.lease.nonce;
  if (rec.lease && rec.lease.until > t + 300) {
    const l = await ctx.client.acquireLease(ctx.app, machineId, { ttl, description: tag(ctx) }, rec.lease.nonce);
    rec.lease = { nonce: l.nonce ?? rec.lease.nonce, until: until() };
    return rec.lease.nonce;
  }
  delete rec.lease;
  try {
    const l = await ctx.client.acquireLease(ctx.app, machineId, { ttl, description: tag(ctx) });
    if (!l.nonce) throw new StepStalled(`Fly granted a lease on ${machineId} without a nonce`);
    rec.lease = { nonce: l.nonce, until: until() };
    return l.nonce;
  } catch (err) {
    if (!(err instanceof FlyApiError) || err.data.status !== 409) throw err;
    const held = await ctx.client.showLease(ctx.app, machineId);
    if (held?.description === tag(ctx) && held.nonce && held.expires_at && held.expires_at * 1000 - ctx.now() > 2000) {
      rec.lease = { nonce: held.nonce, until: Math.min(until(), held.expires_at * 1000) };
      return held.nonce;
    }
    const wait = held?.expires_at ? Math.max(1000, held.expires_at * 1000 - ctx.now()) : 2000;
    checkTimeout(ctx, `the lease on machine ${machineId} (held by ${held?.owner ?? "someone else"})`);
    throw new StepWaiting(wait, `machine ${machineId} is leased by ${held?.owner ?? "someone else"}`);
  }
}

export async function releaseLease(ctx: StepContext, machineId: string | undefined, rec: MachineRecord) {
  const lease = rec.lease;
  delete rec.lease;
  if (machineId && lease && lease.until > ctx.now() + 500)
    await ctx.client.releaseLease(ctx.app, machineId, lease.nonce);
}

export function tag(ctx: StepContext): string {
  return `tower:${ctx.journal.runId}`;
}

/**
 * Fly's wait, in pieces that fit the slice (its timeout is whole seconds); near the end of a
 * slice a quick look instead. Stalls after `wait_timeout`.
 */
export async function waitFor(
  ctx: StepContext,
  id: string,
  state: "started" | "destroyed",
  version?: string,
  tick?: () => Promise<unknown>,
  limitMs?: number,
) {
  for (;;) {
    checkTimeout(ctx, `machine ${id} to be ${state}`, limitMs);
    await tick?.();
    const left = ctx.deadline - ctx.now();
    if (left >= 2000) {
      // Short enough for `tick` to refresh a held lease before it lapses.
      const timeout = Math.min(60, Math.floor(ctx.leaseTtlS / 2), Math.floor((left - 500) / 1000));
      const r = await ctx.client.waitMachine(ctx.app, id, { state, timeout, ...(version ? { version } : {}) });
      if (r.ok) return;
      continue;
    }
    const m = await ctx.client.getMachine(ctx.app, id);
    if (state === "destroyed" ? isGone(m) : m?.state === "started" && (!version || m.instance_id === version)) return;
    requireTime(ctx, ctx.pollMs + 200, `waiting for machine ${id} to be ${state}`);
    await ctx.sleep(ctx.pollMs);
  }
}

/**
 * Polls the machine until every check passes (none configured counts as healthy). A freshly
 * started machine has no check results yet, so with checks configured at least one result must
 * be in (flyctl internal/machine/leasable_machine.go WaitForHealthchecksToPass).
 */
export async function waitHealthy(ctx: StepContext, id: string, tick?: () => Promise<unknown>) {
  for (;;) {
    checkTimeout(ctx, `the checks of machine ${id} to pass`);
    await tick?.();
    const m = await ctx.client.getMachine(ctx.app, id);
    if (isGone(m)) throw new StepStalled(`machine ${id} disappeared while waiting for its checks`);
    if (m!.state === "failed") throw new StepStalled(`machine ${id} failed to start`);
    const checks = m!.checks ?? [];
    const configured =
      Object.keys(m!.config?.checks ?? {}).length +
      (m!.config?.services ?? []).reduce((n, s) => n + (s.checks?.length ?? 0), 0);
    if ((configured === 0 || checks.length > 0) && checks.every((c) => c.status === "passing")) return;
    requireTime(ctx, ctx.pollMs + 500, `waiting for the checks of machine ${id}`);
    await ctx.sleep(ctx.pollMs);
  }
}
