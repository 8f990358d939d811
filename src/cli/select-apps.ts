import type { Evaluation } from "../config";
import type { Args } from "./args";
import { UsageError } from "./args";

/** The evaluated apps `--app NAME` picks (all without it); an unknown name is a usage error. */
export function selectApps(ev: Evaluation, args: Args): Evaluation["apps"] {
  const only = typeof args.flags.app === "string" ? args.flags.app : undefined;
  const chosen = only ? ev.apps.filter((a) => a.name === only) : ev.apps;
  if (only && chosen.length === 0 && !ev.errors.some((e) => e.message.includes(only)))
    throw new UsageError(`no app named ${only} (apps: ${ev.apps.map((a) => a.name).join(", ") || "none"})`);
  return chosen;
}
