/**
 * Whether two machine configs (or parts of one) mean the same to Fly, though spelt differently.
 * Fly answers in its own spelling, not the caller's:
 * - `autostop`: "stop" and "off" come back as the booleans true and false (Fly's API description,
 *   `fly.MachineService.autostop`; fly-go machine_types.go `MachineAutostop.MarshalJSON`).
 * - durations (`interval`, `timeout`, `grace_period`, …): parsed by Go and printed back as Go does,
 *   so "60s" and "1m" come back "1m0s" (fly-go duration.go `Duration.MarshalJSON`).
 * Every comparison of live against desired config (the planner, so drift checks too) goes
 * through `equivalentForm`; compare its results, never the raw text.
 */
import { canonicalJson } from "../../base/canonical";

/** Keys whose string values are Go durations in a machine config. */
const DURATION_KEYS = new Set(["interval", "timeout", "grace_period"]);
/** Maps of the user's own strings: left as they are, whatever their keys. */
const USER_MAPS = new Set(["env", "metadata"]);

/** `value` with each spelling replaced by one form: autostop as "off"/"stop"/"suspend", durations in nanoseconds. */
export function equivalentForm(value: unknown, key = ""): unknown {
  if (key === "autostop" && typeof value === "boolean") return value ? "stop" : "off";
  if (DURATION_KEYS.has(key) && typeof value === "string") return goDurationNs(value) ?? value;
  if (USER_MAPS.has(key)) return value;
  if (Array.isArray(value)) return value.map((item) => equivalentForm(item));
  if (typeof value === "object" && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, equivalentForm(v, k)]));
  return value;
}

/** Whether `a` and `b` mean the same once spelling is set aside (key order and empty values too). */
export function sameMeaning(a: unknown, b: unknown): boolean {
  return (
    canonicalJson(withoutEmpty(equivalentForm(a)) ?? null) === canonicalJson(withoutEmpty(equivalentForm(b)) ?? null)
  );
}

/**
 * `value` without null, undefined, empty objects and empty arrays: Fly leaves unset fields out of
 * the config it returns, so an empty field Tower sent and one Fly dropped compare equal.
 */
export function withoutEmpty(value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value)) {
    const items = value.map((v) => withoutEmpty(v) ?? null);
    return items.length ? items : undefined;
  }
  if (typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const kept = withoutEmpty(v);
      if (kept !== undefined) out[k] = kept;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return value;
}

const UNIT_NS: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, μs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

/** A Go duration string ("1m30s", "1.5h", "500ms") in nanoseconds; null when it is not one. */
export function goDurationNs(text: string): number | null {
  const match = /^([-+]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/.exec(text);
  if (text === "0") return 0;
  if (!match) return null;
  let total = 0;
  for (const [, num, unit] of text.matchAll(/((?:\d+(?:\.\d*)?|\.\d+))(ns|us|µs|μs|ms|s|m|h)/g))
    total += Number(num) * UNIT_NS[unit as string]!;
  return Math.round(match[1] === "-" ? -total : total);
}
