/**
 * A packfile's size once inflated, measured before anything keeps it: the byte budget of a fetch
 * counts what the server sends, and a few kilobytes of deflated zeros (a compression bomb) can
 * inflate to gigabytes. Every object is inflated in chunks that are counted and dropped, so memory
 * stays at one chunk; a delta counts the size of the object it rebuilds (its header says), since
 * that is what reading it costs. The walk stops at the first object past a limit.
 *
 * Pack format (git Documentation/gitformat-pack.txt): `PACK`, version, object count; then per
 * object a type-and-size varint, for `ofs-delta` a negative offset, for `ref-delta` a 20-byte
 * base id, then the zlib stream of its data.
 */
import pako from "pako";
import { gitError } from "./git-error";

export interface PackLimits {
  /** Objects one fetch may bring. */
  maxObjects: number;
  /** Bytes its objects may take once inflated (deltas counted at the size they rebuild). */
  maxInflatedBytes: number;
}

export type PackMeasure =
  | { ok: true; objects: number; inflatedBytes: number }
  | { ok: false; reason: string; limit: "objects" | "inflated" | "format" };

const OFS_DELTA = 6;
const REF_DELTA = 7;
const CHUNK = 64 * 1024;

/** Thrown from pako's onData to stop inflating mid-stream. */
class OverBudget extends Error {}

export function measurePack(pack: Uint8Array, limits: PackLimits): PackMeasure {
  const format = (reason: string): PackMeasure => ({ ok: false, reason, limit: "format" });
  if (pack.length < 12 || String.fromCharCode(...pack.subarray(0, 4)) !== "PACK")
    return format("the answer is not a packfile");
  const count = readUint32(pack, 8);
  if (count > limits.maxObjects)
    return {
      ok: false,
      limit: "objects",
      reason: `it has ${count} objects, more than the limit of ${limits.maxObjects}`,
    };
  const over = (): PackMeasure => ({
    ok: false,
    limit: "inflated",
    reason: `its objects inflate to more than the limit of ${mib(limits.maxInflatedBytes)}`,
  });
  let offset = 12;
  let total = 0;
  for (let i = 0; i < count; i++) {
    if (offset >= pack.length) return format(`the packfile ends before object ${i + 1} of ${count}`);
    let byte = pack[offset++]!;
    const type = (byte >> 4) & 7;
    let declared = byte & 15;
    for (let shift = 4; byte & 0x80; shift += 7) {
      if (offset >= pack.length || shift > 49) return format("an object header is cut short");
      byte = pack[offset++]!;
      declared += (byte & 0x7f) * 2 ** shift;
    }
    if (type === OFS_DELTA) {
      while (offset < pack.length && pack[offset++]! & 0x80);
    } else if (type === REF_DELTA) offset += 20;
    // An honest header says so before anything is inflated.
    if (total + declared > limits.maxInflatedBytes) return over();
    const budget = limits.maxInflatedBytes - total;
    const inflated = inflateCounted(pack.subarray(offset), type === OFS_DELTA || type === REF_DELTA, budget);
    if (inflated === "over") return over();
    if (inflated === "bad") return format(`object ${i + 1} of ${count} is not a valid zlib stream`);
    total += inflated.counted;
    offset += inflated.consumed;
  }
  return { ok: true, objects: count, inflatedBytes: total };
}

/**
 * Inflates one object's zlib stream at the start of `input`, counting its output (for a delta,
 * the larger of its own size and the size it rebuilds) against `budget`. The output is dropped.
 */
function inflateCounted(
  input: Uint8Array,
  delta: boolean,
  budget: number,
): { counted: number; consumed: number } | "over" | "bad" {
  const inflator = new pako.Inflate({ chunkSize: CHUNK });
  let produced = 0;
  let rebuilt = 0;
  inflator.onData = (chunk) => {
    const bytes = chunk as Uint8Array;
    if (delta && produced === 0) rebuilt = deltaTargetSize(bytes);
    produced += bytes.length;
    if (Math.max(produced, rebuilt) > budget) throw new OverBudget();
  };
  try {
    // No Z_FINISH: pako then marks `ended` only when the zlib stream really ended (a cut-short
    // one leaves it open), and stops there, leaving the rest of the pack unread.
    inflator.push(input, false);
  } catch (error) {
    if (error instanceof OverBudget) return "over";
    throw error;
  }
  // pako 1.0 keeps these on the instance (lib/inflate.js); @types/pako does not declare them.
  const inner = inflator as unknown as { ended: boolean; strm: { avail_in: number } };
  if (inflator.err || !inner.ended) return "bad";
  // What pako did not read: the stream ended `avail_in` bytes before the input did.
  const consumed = input.length - inner.strm.avail_in;
  return { counted: Math.max(produced, rebuilt), consumed };
}

/** A delta's data starts with two varints: the base object's size, then the rebuilt object's. */
function deltaTargetSize(data: Uint8Array): number {
  let at = 0;
  const varint = () => {
    let value = 0;
    for (let shift = 0; at < data.length && shift <= 49; shift += 7) {
      const byte = data[at++]!;
      value += (byte & 0x7f) * 2 ** shift;
      if (!(byte & 0x80)) break;
    }
    return value;
  };
  varint();
  return varint();
}

/** measurePack, failing as a GitError: too_large naming the limit, protocol for a broken pack. */
export function checkPack(pack: Uint8Array, repo: string, operation: string, limits: PackLimits): void {
  const measured = measurePack(pack, limits);
  if (measured.ok) return;
  if (measured.limit === "format") throw gitError("protocol", repo, `${operation}: ${measured.reason}`);
  const limit =
    measured.limit === "objects"
      ? { limitObjects: limits.maxObjects }
      : { limitInflatedBytes: limits.maxInflatedBytes };
  throw gitError("too_large", repo, `${operation}: the packfile is too large: ${measured.reason}`, limit);
}

function readUint32(bytes: Uint8Array, at: number): number {
  return ((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!) >>> 0;
}

function mib(bytes: number): string {
  return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MiB`;
}
