import { MACHINE_METADATA, ONE_OFF_GROUPS } from "../../base/machine-metadata";
import type { DesiredApp, DesiredGroup } from "../../config/desired-app";
import type { FlyMachine } from "../client/fly-types";
import { isGone } from "../client/is-gone";
import { guestFilled } from "./guest-fill";
import { machineConfigFor, mountKey, sameConfig, withVolumes } from "./machine-config";
import type { MachineChange, VolumeRef } from "./plan-types";
import type { createVolumePool } from "./volume-pool";

/** One-off machines (release command, machine checks): destroyed when they exit, never planned. */
const oneOffGroups = new Set<string>(Object.values(ONE_OFF_GROUPS));

/** Machines Tower manages: flyctl-style metadata, a process group, not a one-off release machine. */
export function managedMachines(machines: FlyMachine[]): FlyMachine[] {
  return machines.filter((m) => {
    const md = m.config?.metadata ?? {};
    const group = md[MACHINE_METADATA.processGroup];
    return !isGone(m) && md[MACHINE_METADATA.platformVersion] === "v2" && !!group && !oneOffGroups.has(group);
  });
}

/**
 * Pairs desired groups (process group × region × count) with the managed machines Fly runs and
 * returns the changes: update in place, replace when a mount changed, create the missing, destroy
 * the extra and those of groups or regions no longer wanted. Bluegreen turns updates into a new
 * machine plus the destruction of the old one. `force` counts every kept machine as changed, so a
 * redeploy restarts each one with the new release stamp.
 */
export function planMachines(
  desired: DesiredApp,
  machines: FlyMachine[],
  volumes: ReturnType<typeof createVolumePool>,
  opts: { bluegreen: boolean; force: boolean },
): MachineChange[] {
  const { bluegreen, force } = opts;
  const managed = managedMachines(machines);
  const taken = new Set(machines.filter((m) => !isGone(m)).map((m) => m.name ?? ""));
  const newName = (g: DesiredGroup) => {
    let k = 1;
    while (taken.has(`${g.processGroup}-${g.region}-${k}`)) k++;
    const name = `${g.processGroup}-${g.region}-${k}`;
    taken.add(name);
    return name;
  };
  const newVolumes = (g: DesiredGroup, keep: Record<string, string> = {}) => {
    const mounts = g.config.mounts ?? [];
    if (!mounts.length) return undefined;
    const out: Record<string, VolumeRef> = {};
    for (const m of mounts) out[m.name] = keep[m.name] ? { id: keep[m.name]! } : volumes.take(m.name, g.region);
    return out;
  };

  const changes: MachineChange[] = [];
  const claimed = new Set<string>();
  const groups = [...desired.groups].sort((a, b) =>
    `${a.processGroup}@${a.region}`.localeCompare(`${b.processGroup}@${b.region}`),
  );
  for (const g of groups) {
    const wanted = machineConfigFor(g, desired.secretsDigest);
    // Without a guest in config, a machine keeps the one it has; a new one gets the default.
    const wantFor = (m?: FlyMachine) => guestFilled(wanted, m?.config?.guest, g.hostDedicationId);
    const fresh = wantFor();
    const mine = managed
      .filter((m) => m.config?.metadata?.[MACHINE_METADATA.processGroup] === g.processGroup && m.region === g.region)
      .map((m) => ({ m, vols: mountedVolumes(m), want: wantFor(m) }))
      .map((x) => ({
        ...x,
        same: mountKey(x.m.config) === mountKey(x.want) && sameConfig(withVolumes(x.want, x.vols), x.m.config),
      }))
      .sort((a, b) => Number(b.same) - Number(a.same) || (a.m.name ?? a.m.id).localeCompare(b.m.name ?? b.m.id));
    const base = { group: g.processGroup, region: g.region };
    for (const { m, vols, same, want } of mine.slice(0, g.count)) {
      claimed.add(m.id);
      if (same && !force) continue;
      const name = m.name ?? m.id;
      if (mountKey(m.config) !== mountKey(want)) {
        changes.push({
          op: "replace",
          machineId: m.id,
          name: newName(g),
          ...base,
          config: want,
          volumes: newVolumes(g, vols),
        });
      } else if (bluegreen) {
        changes.push({ op: "create", name: newName(g), ...base, config: want, skipServiceRegistration: true });
        changes.push({ op: "destroy", machineId: m.id, name, ...base });
      } else {
        changes.push({ op: "update", machineId: m.id, name, ...base, config: withVolumes(want, vols) });
      }
    }
    for (let i = mine.length; i < g.count; i++) {
      const c: MachineChange = { op: "create", name: newName(g), ...base, config: fresh, volumes: newVolumes(g) };
      if (bluegreen) c.skipServiceRegistration = true;
      changes.push(c);
    }
  }
  for (const m of managed)
    if (!claimed.has(m.id))
      changes.push({
        op: "destroy",
        machineId: m.id,
        name: m.name ?? m.id,
        group: m.config?.metadata?.[MACHINE_METADATA.processGroup] ?? "",
        region: m.region ?? "",
      });
  return changes.map(dropUndefined);
}

function mountedVolumes(m: FlyMachine): Record<string, string> {
  const out: Record<string, string> = {};
  for (const mount of m.config?.mounts ?? []) if (mount.volume) out[mount.name] = mount.volume;
  return out;
}

function dropUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
