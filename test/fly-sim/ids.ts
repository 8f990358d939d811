/** Identifier shapes as Fly hands them out (machine ids are 14 hex chars, versions 26-char ULIDs). */
import { randomBytes } from "node:crypto";

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

export function machineId(): string {
  return randomBytes(7).toString("hex");
}

export function volumeId(): string {
  return "vol_" + ulid().toLowerCase().slice(6, 26);
}

export function nonce(): string {
  return randomBytes(12).toString("hex");
}

/** A 26-char ULID: 10 chars of millisecond time, 16 random. */
export function ulid(now = Date.now()): string {
  let time = "";
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const bytes = randomBytes(16);
  let rand = "";
  for (const b of bytes) rand += CROCKFORD[b % 32];
  return time + rand;
}

export function requestId(region = "sim"): string {
  return `${ulid()}-${region}`;
}
