/**
 * Leases that really exclude. A mutation without the holder's nonce while a lease is held is
 * refused with 409; a nonce whose lease lapsed or was released is refused too and counted as an
 * overlap (two callers believed they held the machine at once).
 */
import type { Ctx, Reply, SimCore } from "../context";
import { badRequest, conflict, notFound } from "../http-error";
import { nonce } from "../ids";
import { parseBody } from "../schemas/parse";
import { createLeaseRequest } from "../schemas/requests";
import type { SimLease, SimMachine } from "../world";
import { leaseNonceHeader, machineOf } from "./lookup";

const DEFAULT_TTL_S = 30;

export function activeLease(core: SimCore, m: SimMachine): SimLease | undefined {
  if (m.lease && m.lease.expiresAt <= Date.now()) {
    m.pastNonces.set(m.lease.nonce, "expired");
    delete m.lease;
    core.bump("leaseExpiries", m.app);
  }
  return m.lease;
}

function heldBy(lease: SimLease, m: SimMachine): string {
  return `aborted: machine ID ${m.id} lease currently held by ${lease.owner}, expires at ${new Date(lease.expiresAt).toISOString()}`;
}

/** Throws 409 unless the caller may change `m` (no lease held, or it presents the holder's nonce). */
export function requireLease(ctx: Ctx, m: SimMachine): void {
  const given = leaseNonceHeader(ctx);
  const lease = activeLease(ctx.core, m);
  const past = given === undefined ? undefined : m.pastNonces.get(given);
  if (past !== undefined) {
    if (past !== "destroyed") ctx.core.bump("leaseOverlaps", m.app);
    throw conflict(`lease ${given} on machine ${m.id} has expired or was released`);
  }
  if (!lease) {
    if (given !== undefined) throw conflict(`machine ${m.id} has no lease with nonce ${given}`);
    return;
  }
  if (given !== lease.nonce) {
    ctx.core.bump("leaseConflicts", m.app);
    throw conflict(heldBy(lease, m));
  }
}

function leaseBody(lease: SimLease): Record<string, unknown> {
  return {
    nonce: lease.nonce,
    expires_at: Math.floor(lease.expiresAt / 1000),
    owner: lease.owner,
    description: lease.description,
    version: lease.version,
  };
}

/** Grants a new lease to the caller (also used by machine create with `lease_ttl`). */
export function grantLease(ctx: Ctx, m: SimMachine, ttlS: number, description = ""): SimLease {
  const lease: SimLease = {
    nonce: nonce(),
    owner: ctx.owner,
    description,
    expiresAt: Date.now() + ttlS * ctx.core.runtime.timings.secondMs,
    version: m.instanceId,
  };
  m.lease = lease;
  return lease;
}

export function createLease(ctx: Ctx): Reply {
  const m = machineOf(ctx);
  const req = parseBody(createLeaseRequest, ctx.body);
  const ttl = req.ttl ?? DEFAULT_TTL_S;
  if (m.state === "destroyed" || m.state === "destroying") throw conflict(`machine ${m.id} is ${m.state}`);
  const given = leaseNonceHeader(ctx);
  const lease = activeLease(ctx.core, m);
  if (given !== undefined) {
    // Refreshing: only the holder can, and only while the lease is still alive.
    if (!lease || lease.nonce !== given) {
      if (m.pastNonces.get(given) === "expired") ctx.core.bump("leaseOverlaps", m.app);
      throw conflict(lease ? heldBy(lease, m) : `machine ${m.id} has no lease with nonce ${given}`);
    }
    lease.expiresAt = Date.now() + ttl * ctx.core.runtime.timings.secondMs;
    if (req.description !== undefined) lease.description = req.description;
    return { status: 200, body: { status: "success", data: leaseBody(lease) } };
  }
  if (lease) {
    ctx.core.bump("leaseConflicts", m.app);
    throw conflict(heldBy(lease, m));
  }
  const granted = grantLease(ctx, m, ttl, req.description);
  return { status: 200, body: { status: "success", data: leaseBody(granted) } };
}

export function showLease(ctx: Ctx): Reply {
  const m = machineOf(ctx);
  const lease = activeLease(ctx.core, m);
  if (!lease) throw notFound("lease");
  return { status: 200, body: { status: "success", data: leaseBody(lease) } };
}

export function releaseLease(ctx: Ctx): Reply {
  const m = machineOf(ctx);
  const given = leaseNonceHeader(ctx);
  if (given === undefined) throw badRequest("fly-machine-lease-nonce header required");
  const lease = activeLease(ctx.core, m);
  if (!lease || lease.nonce !== given) {
    // Releasing twice (a retry after a lost answer) is harmless; releasing a lapsed lease is not.
    if (m.pastNonces.get(given) === "expired") ctx.core.bump("leaseOverlaps", m.app);
    if (!lease) throw notFound("lease");
    throw conflict(heldBy(lease, m));
  }
  m.pastNonces.set(lease.nonce, "released");
  delete m.lease;
  return { status: 200, body: { status: "success", data: leaseBody(lease) } };
}
