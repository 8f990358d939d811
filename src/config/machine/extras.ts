import { parse as shellParse } from "shell-quote";
import type { FlyFile, FlyMachineConfig, FlyMachineMount } from "../fly-machine-config";
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

/**
 * `init`: the group's command, else `[experimental] cmd`; the experimental entrypoint and exec;
 * swap. Other fields of a `machine_config`'s init stay (flyctl machines.go `updateMachineConfig`).
 */
export function initFor(cfg: PlainObject, group: string, base?: unknown): FlyMachineConfig["init"] {
  const init: NonNullable<FlyMachineConfig["init"]> = {};
  if (isPlainObject(base)) {
    const { cmd: _c, entrypoint: _e, exec: _x, swap_size_mb: _s, ...rest } = base;
    Object.assign(init, rest);
  }
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
    .filter((r) => appliesTo(cfg, r, group))
    .at(-1);
  if (!entry) return undefined;
  const policy = entry.policy === "never" ? "no" : (entry.policy as NonNullable<FlyMachineConfig["restart"]>["policy"]);
  const out: NonNullable<FlyMachineConfig["restart"]> = { policy };
  if (typeof entry.retries === "number") out.max_retries = entry.retries;
  return out;
}

/**
 * `[[files]]` → `files[]`: `raw_value` is plain text in fly.toml and base64 for the machine, as
 * flyctl's `File.toMachineFile` (internal/appconfig/config.go) encodes it; `local_path` was read
 * into `raw_value` at evaluation (local-files.ts). A later entry for the same guest path wins
 * (fly-go `MergeFiles`).
 */
export function filesFor(cfg: PlainObject, group: string): FlyMachineConfig["files"] {
  const byPath = new Map<string, FlyFile>();
  for (const f of list(cfg.files).filter((f) => appliesTo(cfg, f, group))) {
    const out: FlyFile = { guest_path: String(f.guest_path) };
    if (typeof f.secret_name === "string") out.secret_name = f.secret_name;
    else if (typeof f.raw_value === "string") out.raw_value = base64(f.raw_value);
    byPath.set(out.guest_path, out);
  }
  return byPath.size > 0 ? [...byPath.values()] : undefined;
}

/** UTF-8 text → standard base64. */
export function base64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export function staticsFor(cfg: PlainObject): FlyMachineConfig["statics"] {
  const statics = list(cfg.statics).map((s) =>
    pick(s, ["guest_path", "url_prefix", "tigris_bucket", "index_document"]),
  );
  return statics.length > 0 ? (statics as FlyMachineConfig["statics"]) : undefined;
}

export function metricsFor(cfg: PlainObject, group: string): FlyMachineConfig["metrics"] {
  const first = list(cfg.metrics).find((m) => appliesTo(cfg, m, group));
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
    .filter((m) => appliesTo(cfg, m, group))
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
