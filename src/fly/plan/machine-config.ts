import { canonicalJson } from "../../base/canonical";
import { MACHINE_METADATA } from "../../base/machine-metadata";
import type { DesiredGroup } from "../../config/desired-app";
import type { FlyMachineConfig } from "../../config/fly-machine-config";
import { type FieldChange, fieldChanges } from "./field-changes";

/** Keys that change with every release or are set by others: never a reason to update. */
const volatile = new Set<string>([
  MACHINE_METADATA.releaseId,
  MACHINE_METADATA.releaseVersion,
  MACHINE_METADATA.configDigest,
  "fly_flyctl_version",
]);

/** Top-level config keys Tower sets; a live value under one of them that Tower did not ask for is drift. */
const managedKeys = [
  "image",
  "env",
  "init",
  "guest",
  "services",
  "checks",
  "mounts",
  "restart",
  "files",
  "statics",
  "metrics",
  "stop_config",
  "metadata",
  "auto_destroy",
  "schedule",
];

/** Maps whose every key counts (elsewhere only keys Tower sets are compared: Fly adds defaults). */
const mapPaths = new Set(["env", "metadata", "checks"]);

/** The full config for a machine of `group`: Tower's and flyctl's metadata, mount volume ids unset. */
export function machineConfigFor(group: DesiredGroup, secretsDigest: string): FlyMachineConfig {
  const metadata: Record<string, string> = {
    ...group.config.metadata,
    [MACHINE_METADATA.platformVersion]: "v2",
    [MACHINE_METADATA.processGroup]: group.processGroup,
    [MACHINE_METADATA.secretsDigest]: secretsDigest,
  };
  const config = { ...group.config, metadata };
  metadata[MACHINE_METADATA.configDigest] = shortDigest(canonicalJson(withoutEmpty(comparable(config)) ?? null));
  return config;
}

/**
 * Whether a live machine already runs `want` (ignoring release stamps, volume ids, Fly's additions
 * and Fly's own spelling of the same values: config-equivalence.ts).
 */
export function sameConfig(want: FlyMachineConfig, live: FlyMachineConfig | undefined): boolean {
  if (!live) return false;
  if (live.metadata?.[MACHINE_METADATA.configDigest] !== want.metadata?.[MACHINE_METADATA.configDigest]) return false;
  return configChanges(want, live).length === 0;
}

/**
 * The fields of `want` a live machine does not have, as `sameConfig` sees them: release stamps,
 * volume ids and what Fly adds left out, Fly's own spellings equal (config-equivalence.ts). The
 * planner and `tower diff` both ask this, so a diff never shows what a deploy would not change.
 * Empty while the digest differs means a field Tower set before was removed from the config.
 */
export function configChanges(want: FlyMachineConfig, live: FlyMachineConfig): FieldChange[] {
  const w = comparable(want);
  return fieldChanges(withoutEmpty(w), withoutEmpty(project(comparable(live), w, "")));
}

/** `name:path` of each mount, sorted: a difference means the machine must be replaced. */
export function mountKey(config: FlyMachineConfig | undefined): string {
  return (config?.mounts ?? [])
    .map((m) => `${m.name}:${m.path}`)
    .sort()
    .join(",");
}

/** `config` with each mount's volume id taken from `volumes` (by mount name). */
export function withVolumes(config: FlyMachineConfig, volumes: Record<string, string>): FlyMachineConfig {
  if (!config.mounts?.length) return config;
  return { ...config, mounts: config.mounts.map((m) => (volumes[m.name] ? { ...m, volume: volumes[m.name] } : m)) };
}

function comparable(config: FlyMachineConfig): Record<string, unknown> {
  const metadata = Object.fromEntries(Object.entries(config.metadata ?? {}).filter(([k]) => !volatile.has(k)));
  const mounts = config.mounts?.map(({ volume: _v, size_gb: _s, ...m }) => m);
  return { ...config, metadata, mounts };
}

function project(live: unknown, want: unknown, path: string): unknown {
  if (Array.isArray(live) && Array.isArray(want)) return live.map((v, i) => project(v, want[i], `${path}[]`));
  if (!isObject(live) || !isObject(want)) return live;
  const keys =
    path === ""
      ? new Set([...managedKeys, ...Object.keys(want)])
      : mapPaths.has(path)
        ? new Set([...Object.keys(live), ...Object.keys(want)])
        : new Set(Object.keys(want));
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const child = mapPaths.has(path) ? k : path ? `${path}.${k}` : k;
    if (k in live) out[k] = project(live[k], want[k], mapPaths.has(path) ? `${path}.*` : child);
  }
  return withoutEmpty(out) ?? {};
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * `value` without null, undefined, empty objects and empty arrays: Fly leaves unset fields out of
 * the config it returns, so an empty field Tower sent and one Fly dropped compare equal.
 */
function withoutEmpty(value: unknown): unknown {
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

/**
 * A short synchronous digest (FNV-1a, 2×32 bits) for the `tower_config` stamp. Not sha256: the
 * stamp on every running machine is this value, and a new function would update each machine once.
 */
function shortDigest(text: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) >>> 0;
  }
  return h1.toString(16).padStart(8, "0") + h2.toString(16).padStart(8, "0");
}
