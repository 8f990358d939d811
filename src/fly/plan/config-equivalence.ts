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

/** Whether `a` and `b` mean the same once spelling (and key order) is set aside. */
export function sameMeaning(a: unknown, b: unknown): boolean {
  return canonicalJson(equivalentForm(a)) === canonicalJson(equivalentForm(b));
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
