import { isPlainObject, type PlainObject } from "../merge";

export interface DesiredGroupCount {
  group: string;
  region: string;
  count: number;
  mounts: { name: string; initialSize?: number | string }[];
}

/** flycd's `machines.count` (default 1) and `count_per_region` (wins for its region). */
export function countFor(cfg: PlainObject, region: string): number {
  const m = isPlainObject(cfg.machines) ? cfg.machines : {};
  const perRegion = isPlainObject(m.count_per_region) ? m.count_per_region[region] : undefined;
  if (typeof perRegion === "number") return perRegion;
  return typeof m.count === "number" ? m.count : 1;
}
