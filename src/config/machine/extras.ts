import { parse as shellParse } from "shell-quote";
import type { FlyMachineConfig, FlyMachineMount } from "../fly-machine-config";
import { isPlainObject, type PlainObject } from "../merge";
import { sizeToGb } from "../sizes";
import { appliesTo, list, pick } from "./groups";

/** flyctl shell-splits a process command into `init.cmd`; `$VARS` stay as written. */
export function shellSplit(command: string): string[] {
  return shellParse(command, (key) => `$${key}`).flatMap((t) => {
    if (typeof t === "string") return [t];
    if ("op" in t) return t.op === "glob" ? [(t as { pattern: string }).pattern] : [t.op];
    return [];
  });
}

export function initFor(cfg: PlainObject, group: string): FlyMachineConfig["init"] {
  const init: NonNullable<FlyMachineConfig["init"]> = {};
  const exp = isPlainObject(cfg.experimental) ? cfg.experimental : {};
  for (const f of ["cmd", "entrypoint", "exec"] as const) {
    const v = exp[f];
    if (Array.isArray(v)) init[f] = v.map(String);
    else if (typeof v === "string") init[f] = shellSplit(v);
  }
  const command = isPlainObject(cfg.processes) ? cfg.processes[group] : undefined;
  if (typeof command === "string" && command.trim() !== "") init.cmd = shellSplit(command);
  if (typeof cfg.swap_size_mb === "number") init.swap_size_mb = cfg.swap_size_mb;
  return Object.keys(init).length > 0 ? init : undefined;
}

/** `[env]` values as strings, plus what flyctl adds: FLY_PROCESS_GROUP and PRIMARY_REGION. */
export function envFor(cfg: PlainObject, group: string, primaryRegion: string): Record<string, string> {
  const env: Record<string, string> = {};
  if (isPlainObject(cfg.env)) for (const [k, v] of Object.entries(cfg.env)) env[k] = String(v);
  env.FLY_PROCESS_GROUP = group;
  env.PRIMARY_REGION = primaryRegion;
  return env;
}

export function restartFor(cfg: PlainObject, group: string): FlyMachineConfig["restart"] {
  const entry = list(cfg.restart)
    .filter((r) => appliesTo(r, group))
    .at(-1);
  if (!entry) return undefined;
  const policy = entry.policy === "never" ? "no" : (entry.policy as NonNullable<FlyMachineConfig["restart"]>["policy"]);
  const out: NonNullable<FlyMachineConfig["restart"]> = { policy };
  if (typeof entry.retries === "number") out.max_retries = entry.retries;
  return out;
}

export function filesFor(cfg: PlainObject, group: string): FlyMachineConfig["files"] {
  const files = list(cfg.files)
    .filter((f) => appliesTo(f, group))
    .map((f) => pick<NonNullable<FlyMachineConfig["files"]>[number]>(f, ["guest_path", "raw_value", "secret_name"]));
  return files.length > 0 ? (files as FlyMachineConfig["files"]) : undefined;
}

export function staticsFor(cfg: PlainObject): FlyMachineConfig["statics"] {
  const statics = list(cfg.statics).map((s) =>
    pick(s, ["guest_path", "url_prefix", "tigris_bucket", "index_document"]),
  );
  return statics.length > 0 ? (statics as FlyMachineConfig["statics"]) : undefined;
}

export function metricsFor(cfg: PlainObject, group: string): FlyMachineConfig["metrics"] {
  const first = list(cfg.metrics).find((m) => appliesTo(m, group));
  return first ? (pick(first, ["port", "path", "https"]) as FlyMachineConfig["metrics"]) : undefined;
}

export function stopConfigFor(cfg: PlainObject): FlyMachineConfig["stop_config"] {
  const out: NonNullable<FlyMachineConfig["stop_config"]> = {};
  if (typeof cfg.kill_signal === "string") out.signal = cfg.kill_signal;
  if (typeof cfg.kill_timeout === "number") out.timeout = `${cfg.kill_timeout}s`;
  else if (typeof cfg.kill_timeout === "string")
    out.timeout = /^\d+$/.test(cfg.kill_timeout) ? `${cfg.kill_timeout}s` : cfg.kill_timeout;
  return Object.keys(out).length > 0 ? out : undefined;
}

/** `[mounts]` → `mounts[{path, name}]` plus auto-extend; the planner fills in the volume id. */
export function mountsFor(cfg: PlainObject, group: string): FlyMachineMount[] | undefined {
  const mounts = list(cfg.mounts)
    .filter((m) => appliesTo(m, group))
    .map((m) => {
      const out: FlyMachineMount = { name: String(m.source), path: String(m.destination) };
      if (m.auto_extend_size_threshold !== undefined)
        out.extend_threshold_percent = m.auto_extend_size_threshold as number;
      if (m.auto_extend_size_increment !== undefined)
        out.add_size_gb = sizeToGb(m.auto_extend_size_increment as string);
      if (m.auto_extend_size_limit !== undefined) out.size_gb_limit = sizeToGb(m.auto_extend_size_limit as string);
      return out;
    });
  return mounts.length > 0 ? mounts : undefined;
}
