/**
 * A machine config as Fly answers it, not as it was sent: Fly's Go server decodes the config into
 * fly-go's types and encodes them back.
 * - `autostop` "stop"/"off" come back as true/false (API description `fly.MachineService.autostop`:
 *   "the API continues to use booleans for "off" and "stop" in responses"; fly-go machine_types.go
 *   `MachineAutostop.MarshalJSON`).
 * - durations come back as Go's `time.Duration.String()` prints them: "60s" and "1m" as "1m0s"
 *   (fly-go duration.go `Duration.MarshalJSON`).
 */
import type { MachineConfig } from "./schemas/machine-config";

/** Keys of fly-go's `Duration` fields in a machine config (checks, service checks, stop_config). */
const DURATIONS = new Set(["interval", "timeout", "grace_period"]);
/** map[string]string fields: echoed as sent, whatever their keys. */
const STRING_MAPS = new Set(["env", "metadata"]);

export function echoConfig(config: MachineConfig): MachineConfig {
  return echo(config, "") as MachineConfig;
}

function echo(value: unknown, key: string): unknown {
  if (key === "autostop" && (value === "stop" || value === "off")) return value === "stop";
  if (DURATIONS.has(key) && typeof value === "string") return goString(value);
  if (STRING_MAPS.has(key)) return value;
  if (Array.isArray(value)) return value.map((item) => echo(item, ""));
  if (typeof value === "object" && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, echo(v, k)]));
  return value;
}

const UNIT_NS: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

/** Go's `time.ParseDuration` then `Duration.String()`, for the strings the schema lets through. */
function goString(text: string): string {
  let ns = 0;
  for (const [, num, unit] of text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) ns += Number(num) * UNIT_NS[unit!]!;
  ns = Math.round(ns);
  if (ns === 0) return "0s";
  if (ns < 1e3) return `${ns}ns`;
  if (ns < 1e6) return `${trim(ns / 1e3)}µs`;
  if (ns < 1e9) return `${trim(ns / 1e6)}ms`;
  const h = Math.floor(ns / 3600e9);
  const m = Math.floor((ns % 3600e9) / 60e9);
  const s = trim((ns % 60e9) / 1e9);
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}

const trim = (n: number) => String(Number(n.toFixed(9)));
