import type { Args } from "./args";
import { UsageError } from "./args";

/** Flags every command against a running Tower takes besides --json. */
export const API_OPTIONS = ["url"];

export const API_HELP = `  --url URL   Tower's address (default $TOWER_URL); the bearer token comes from $TOWER_TOKEN`;

/** A `--NAME SECONDS` flag in ms (default `seconds`). */
export function secondsFlag(args: Args, name: "timeout" | "interval", seconds: number): number {
  const raw = args.flags[name];
  if (raw === undefined) return seconds * 1000;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--${name} is a number of seconds, not ${String(raw)}`);
  return n * 1000;
}

/** The positional argument at `i`, or a usage error naming it. */
export function positional(args: Args, i: number, name: string): string {
  const value = args.positional[i];
  if (!value) throw new UsageError(`missing ${name}`);
  return value;
}
