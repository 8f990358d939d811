import type { DeploySettings, DesiredIp, DesiredVolume } from "../desired-app";
import { isPlainObject, type PlainObject } from "../merge";
import { durationToMs, sizeToGb } from "../sizes";
import type { DesiredGroupCount } from "./counts";
import { list } from "./groups";

/** Volumes the mounts need: per region, one per machine that mounts it (at least flycd's `count`). */
export function volumesFor(cfg: PlainObject, groups: DesiredGroupCount[]): DesiredVolume[] {
  const declared = new Map(list(cfg.volumes).map((v) => [String(v.name), v]));
  const need = new Map<string, DesiredVolume>();
  for (const g of groups) {
    for (const m of g.mounts) {
      const key = `${m.name} ${g.region}`;
      const v = declared.get(m.name);
      const size = v?.size_gb ?? m.initialSize ?? 1;
      const entry = need.get(key) ?? {
        name: m.name,
        region: g.region,
        sizeGb: sizeToGb(size as number | string),
        count: 0,
      };
      entry.count += g.count;
      need.set(key, entry);
    }
  }
  for (const v of need.values()) v.count = Math.max(v.count, Number(declared.get(v.name)?.count ?? 0));
  return [...need.values()];
}

/** flycd's `network.ips`; without it, what `fly launch` gives an app with services: v6 + shared v4. */
export function ipsFor(cfg: PlainObject): DesiredIp[] {
  const network = isPlainObject(cfg.network) ? cfg.network : {};
  if (!Array.isArray(network.ips)) {
    const public_ = cfg.http_service !== undefined || list(cfg.services).length > 0;
    return public_ ? [{ type: "v6" }, { type: "shared_v4" }] : [];
  }
  return list(network.ips).map((ip) => {
    const type: DesiredIp["type"] = ip.v === "v6" ? (ip.Private ? "private_v6" : "v6") : ip.Shared ? "shared_v4" : "v4";
    return typeof ip.Region === "string" ? { type, region: ip.Region } : { type };
  });
}

export function deployFor(cfg: PlainObject): DeploySettings {
  const d = isPlainObject(cfg.deploy) ? cfg.deploy : {};
  const out: DeploySettings = {
    strategy: (d.strategy as DeploySettings["strategy"]) ?? "rolling",
    maxUnavailable: (d.max_unavailable as number) ?? 0.33,
    waitTimeoutMs: d.wait_timeout !== undefined ? durationToMs(d.wait_timeout as string | number) : 5 * 60_000,
  };
  if (typeof d.release_command === "string") out.releaseCommand = d.release_command;
  return out;
}
