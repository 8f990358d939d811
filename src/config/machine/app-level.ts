import type { DeploySettings, DesiredIp, DesiredVolume } from "../desired-app";
import { isPlainObject, type PlainObject } from "../merge";
import { durationToMs, sizeToGb } from "../sizes";
import type { DesiredGroupCount } from "./counts";
import { list } from "./groups";
import { DEFAULT_VM_SIZE, preset } from "./presets";
import { releaseMachineFor } from "./release";

/**
 * Volumes the mounts need: per region, one per machine that mounts it (at least flycd's `count`).
 * Created as flyctl's first deploy creates them (internal/command/deploy/deploy_first.go
 * `provisionVolumesOnFirstDeploy`): encrypted, with the group's guest as `compute` (placement),
 * `snapshot_retention`, `auto_backup_enabled` from `scheduled_snapshots`, and 100 GB for a GPU guest
 * without `initial_size`.
 */
export function volumesFor(cfg: PlainObject, groups: DesiredGroupCount[]): DesiredVolume[] {
  const declared = new Map(list(cfg.volumes).map((v) => [String(v.name), v]));
  const need = new Map<string, DesiredVolume>();
  for (const g of groups) {
    for (const m of g.mounts) {
      const name = String(m.source);
      const key = `${name} ${g.region}`;
      const size = declared.get(name)?.size_gb ?? m.initial_size ?? (g.guest?.gpu_kind ? 100 : 1);
      const entry: DesiredVolume = need.get(key) ?? {
        name,
        region: g.region,
        sizeGb: sizeToGb(size as number | string),
        count: 0,
        encrypted: true,
        compute: g.guest ?? preset(DEFAULT_VM_SIZE)!,
      };
      if (typeof m.snapshot_retention === "number") entry.snapshotRetention = m.snapshot_retention;
      if (typeof m.scheduled_snapshots === "boolean") entry.autoBackupEnabled = m.scheduled_snapshots;
      entry.count += g.count;
      need.set(key, entry);
    }
  }
  for (const v of need.values()) v.count = Math.max(v.count, Number(declared.get(v.name)?.count ?? 0));
  return [...need.values()];
}

/**
 * flycd's `network.ips`; without it, what flyctl's first deploy gives an app with services
 * (deploy_first.go `provisionIpsOnFirstDeploy`, config.go `DetermineIPType`): v6 + shared v4, or,
 * when a service is UDP or serves other ports than http on 80 and http+tls on 443, a dedicated
 * v4 (and a v6 unless a service is UDP). flyctl asks before a dedicated address; Tower has no one
 * to ask and allocates it (docs/config.md, differences from flyctl).
 */
export function ipsFor(cfg: PlainObject): DesiredIp[] {
  const network = isPlainObject(cfg.network) ? cfg.network : {};
  if (!Array.isArray(network.ips)) {
    const services = list(cfg.services);
    if (cfg.http_service === undefined && services.length === 0) return [];
    if (!needsDedicatedIp(services)) return [{ type: "v6" }, { type: "shared_v4" }];
    return services.some((s) => s.protocol === "udp") ? [{ type: "v4" }] : [{ type: "v4" }, { type: "v6" }];
  }
  return list(network.ips).map((ip) => {
    const type: DesiredIp["type"] = ip.v === "v6" ? (ip.Private ? "private_v6" : "v6") : ip.Shared ? "shared_v4" : "v4";
    return typeof ip.Region === "string" ? { type, region: ip.Region } : { type };
  });
}

/** flyctl config.go `DetermineIPType`: a UDP service, or a tcp port that is not plain http/https. */
function needsDedicatedIp(services: PlainObject[]): boolean {
  const same = (a: unknown, b: string[]) => Array.isArray(a) && a.length === b.length && a.every((x, i) => x === b[i]);
  for (const s of services) {
    if (s.protocol === "udp") return true;
    if (s.protocol !== "tcp") continue;
    for (const p of list(s.ports)) {
      if (hasNonHttpPorts(p)) return true;
      if (containsPort(p, 80) && !same(p.handlers, ["http"])) return true;
      if (containsPort(p, 443) && !same(p.handlers, ["http", "tls"]) && !same(p.handlers, ["tls", "http"])) return true;
    }
  }
  return false;
}

/** A port entry's range: `port` alone, or start_port..end_port (open ends are 0 and 65535). */
function range(p: PlainObject): [number, number] | undefined {
  if (p.start_port === undefined && p.end_port === undefined) return undefined;
  return [typeof p.start_port === "number" ? p.start_port : 0, typeof p.end_port === "number" ? p.end_port : 65535];
}

/** fly-go machine_types.go `MachinePort.ContainsPort`. */
function containsPort(p: PlainObject, port: number): boolean {
  if (p.port === port) return true;
  const r = range(p);
  return r !== undefined && r[0] <= port && port <= r[1];
}

/** fly-go machine_types.go `MachinePort.HasNonHttpPorts`. */
function hasNonHttpPorts(p: PlainObject): boolean {
  if (typeof p.port === "number" && p.port !== 443 && p.port !== 80) return true;
  const r = range(p);
  if (!r) return false;
  const count = r[1] - r[0] + 1;
  if (count > 2) return true;
  const http = r[0] <= 80 && 80 <= r[1];
  const https = r[0] <= 443 && 443 <= r[1];
  if (count === 2) return !http || !https;
  if (count === 1) return !http && !https;
  return false;
}

export function deployFor(cfg: PlainObject, primaryRegion: string, image: string): DeploySettings {
  const d = isPlainObject(cfg.deploy) ? cfg.deploy : {};
  const ms = (v: unknown) => (v !== undefined ? durationToMs(v as string | number) : 5 * 60_000);
  const out: DeploySettings = {
    strategy: (d.strategy as DeploySettings["strategy"]) ?? "rolling",
    maxUnavailable: (d.max_unavailable as number) ?? 0.33,
    waitTimeoutMs: ms(d.wait_timeout),
    // flyctl internal/command/deploy/machines.go DefaultReleaseCommandTimeout.
    releaseCommandTimeoutMs: ms(d.release_command_timeout),
  };
  if (typeof d.release_command === "string") out.releaseCommand = d.release_command;
  const machine = releaseMachineFor(cfg, primaryRegion, image);
  if (machine) out.releaseMachine = machine;
  return out;
}
