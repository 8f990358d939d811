/**
 * Whether a live value Fly echoes back means the same as the value Tower asked for, though spelt
 * differently. The one place the planner, the drift check and `tower diff` learn such spellings:
 * - `autostop`: Fly answers the booleans `true`/`false` for `"stop"`/`"off"` (Fly's API
 *   description, `fly.MachineService.autostop`; fly-go machine_types.go `MachineAutostop`
 *   UnmarshalJSON reads true as stop, false as off).
 * - durations of checks and stop_config (`interval`, `timeout`, `grace_period`): Go's
 *   `time.Duration` text, so "1m", "1m0s" and "60s" are one value (fly-go duration.go marshals
 *   with `Duration.String()`, which writes "1m0s").
 * Only these keys: an env value "60s" that became "1m" is a real change.
 */
const DURATION_KEYS = new Set(["interval", "timeout", "grace_period"]);

export function equivalentValue(key: string, want: unknown, live: unknown): boolean {
  if (want === live) return true;
  if (key === "autostop") return autostop(want) !== undefined && autostop(want) === autostop(live);
  if (DURATION_KEYS.has(key)) {
    const w = durationNs(want);
    return w !== undefined && w === durationNs(live);
  }
  return false;
}

function autostop(v: unknown): string | undefined {
  if (v === true) return "stop";
  if (v === false) return "off";
  return typeof v === "string" ? v : undefined;
}

const UNIT_NS: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, μs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
const PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/gy;

/** Go's `time.ParseDuration` grammar; a number is nanoseconds (fly-go `ParseDuration` reads them so). */
export function durationNs(v: unknown): number | undefined {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v !== "string") return undefined;
  const sign = v.startsWith("-") ? -1 : 1;
  const text = v.replace(/^[-+]/, "");
  if (text === "0") return 0;
  if (text === "") return undefined;
  PART.lastIndex = 0;
  let total = 0;
  let at = 0;
  for (let m = PART.exec(text); m; m = PART.exec(text)) {
    total += Number(m[1]) * UNIT_NS[m[2]!]!;
    at = PART.lastIndex;
  }
  return at === text.length ? Math.round(sign * total) : undefined;
}
