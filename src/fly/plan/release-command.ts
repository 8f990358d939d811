import { MACHINE_METADATA } from "../../base/machine-metadata";
import type { DesiredApp } from "../../config/desired-app";
import type { FlyMachineConfig, FlyMachineGuest } from "../../config/fly-machine-config";
import type { FlyMachine } from "../client/fly-types";
import { guestFilled } from "./guest-fill";

const SHARED_1X: FlyMachineGuest = { cpu_kind: "shared", cpus: 1, memory_mb: 256 };
const SHARED_2X: FlyMachineGuest = { cpu_kind: "shared", cpus: 2, memory_mb: 512 };

/**
 * The release-command machine as Tower sends it: the config's (flyctl `ToReleaseMachineConfig`),
 * its guest from `release_command_vm`, else inferred as flyctl's `inferReleaseCommandGuest`
 * (internal/command/deploy/machines_releasecommand.go) does: the largest live machine of the
 * default group, else the group's own size when it is not shared-cpu-1x, else shared-cpu-2x.
 * The app's host dedication applies (flyctl `launchInputForReleaseCommand`).
 */
export function releaseCommandConfig(desired: DesiredApp, machines: FlyMachine[]): FlyMachineConfig | undefined {
  const group = defaultGroupOf(desired);
  const own = desired.groups.find((g) => g.processGroup === group);
  const base = desired.deploy.releaseMachine;
  if (!base) return undefined;
  let guest = base.guest;
  if (!guest) {
    const sized = own?.config.guest;
    guest = sized && !sameSize(sized, SHARED_1X) ? sized : SHARED_2X;
    let most = 0;
    for (const m of machines) {
      const g = m.config?.guest;
      if (m.config?.metadata?.[MACHINE_METADATA.processGroup] !== group || m.state === "destroyed" || !g) continue;
      if (g.memory_mb > most) [most, guest] = [g.memory_mb, g];
    }
  }
  return guestFilled({ ...base, guest }, undefined, own?.hostDedicationId);
}

/** flyctl `DefaultProcessName`: "app" if there is such a group, else the first name in order. */
function defaultGroupOf(desired: DesiredApp): string | undefined {
  const names = [...new Set(desired.groups.map((g) => g.processGroup))].sort();
  return names.includes("app") ? "app" : names[0];
}

const sameSize = (a: FlyMachineGuest, b: FlyMachineGuest) =>
  a.cpu_kind === b.cpu_kind && a.cpus === b.cpus && a.memory_mb === b.memory_mb;
