import type { FlyMachineGuest } from "../fly-machine-config";
import { isPlainObject, type PlainObject } from "../merge";

/** One group in one region, with what its volumes need to know (flyctl first-deploy volume fields). */
export interface DesiredGroupCount {
  group: string;
  region: string;
  count: number;
  guest?: FlyMachineGuest;
  mounts: PlainObject[];
}

/** flycd's `machines.count` (default 1) and `count_per_region` (wins for its region). */
export function countFor(cfg: PlainObject, region: string): number {
  const m = isPlainObject(cfg.machines) ? cfg.machines : {};
  const perRegion = isPlainObject(m.count_per_region) ? m.count_per_region[region] : undefined;
  if (typeof perRegion === "number") return perRegion;
  return typeof m.count === "number" ? m.count : 1;
}
