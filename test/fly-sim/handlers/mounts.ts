/**
 * Volume attach rules: a mount names a volume of the app in the machine's region that no other
 * live machine has. Attempts to mount a volume attached elsewhere or in another region are refused
 * (412) and counted as double mounts.
 */
import type { Ctx } from "../context";
import { notFound, preconditionFailed, unprocessable } from "../http-error";
import type { MachineConfig } from "../schemas/machine-config";
import { isLive, type SimVolume } from "../world";

type Mount = NonNullable<MachineConfig["mounts"]>[number];

/** Checks `mounts` for machine `machineId` (undefined while creating); returns the volumes to attach. */
export function checkMounts(ctx: Ctx, app: string, region: string, mounts: Mount[], machineId?: string): SimVolume[] {
  if (mounts.length > 1) throw unprocessable("config.mounts: a machine can mount at most one volume");
  const { world } = ctx.core;
  return mounts.map((mount, i) => {
    const v = world.volumes.get(mount.volume);
    if (!v || v.app !== app || v.state === "destroyed") throw notFound(`config.mounts[${i}].volume ${mount.volume}`);
    if (v.region !== region) {
      ctx.core.bump("doubleMounts", app);
      throw preconditionFailed(
        `config.mounts[${i}]: volume ${v.id} is in region ${v.region}, the machine is in ${region}`,
      );
    }
    const holder = v.attachedMachineId ? world.machines.get(v.attachedMachineId) : undefined;
    if (holder && holder.id !== machineId && isLive(holder)) {
      ctx.core.bump("doubleMounts", app);
      throw preconditionFailed(`config.mounts[${i}]: volume ${v.id} is already attached to machine ${holder.id}`);
    }
    return v;
  });
}

export function sameMounts(a: Mount[] = [], b: Mount[] = []): boolean {
  return a.length === b.length && a.every((m, i) => m.volume === b[i]?.volume && m.path === b[i]?.path);
}
