/** Volumes: per region, grow-only, never deleted while attached. */
import { type Ctx, json, type Reply } from "../context";
import { badRequest, preconditionFailed, unprocessable } from "../http-error";
import { volumeId } from "../ids";
import { parseBody } from "../schemas/parse";
import { createVolumeRequest, extendVolumeRequest, updateVolumeRequest } from "../schemas/requests";
import { volumeView } from "../views";
import { isLive, type SimVolume } from "../world";
import { appOf, volumeOf } from "./lookup";

export function createVolume(ctx: Ctx): Reply {
  const app = appOf(ctx);
  const req = parseBody(createVolumeRequest, ctx.body);
  if (!ctx.core.regions.has(req.region)) throw unprocessable(`region: unknown region "${req.region}"`);
  if (req.size_gb > 500) throw unprocessable("size_gb: at most 500");
  const v: SimVolume = {
    id: volumeId(),
    app: app.name,
    name: req.name,
    region: req.region,
    zone: `${req.region}-${(ctx.core.world.volumes.size % 3) + 1}`,
    sizeGb: req.size_gb,
    encrypted: req.encrypted ?? true,
    fstype: req.fstype ?? "ext4",
    autoBackupEnabled: req.auto_backup_enabled ?? true,
    snapshotRetention: req.snapshot_retention ?? 5,
    attachedMachineId: null,
    createdAt: new Date().toISOString(),
    state: "created",
  };
  ctx.core.world.volumes.set(v.id, v);
  return json(200, volumeView(v));
}

export function listVolumes(ctx: Ctx): Reply {
  const app = appOf(ctx);
  const list = [...ctx.core.world.volumes.values()].filter((v) => v.app === app.name && v.state !== "destroyed");
  return json(200, list.map(volumeView));
}

export function showVolume(ctx: Ctx): Reply {
  return json(200, volumeView(volumeOf(ctx)));
}

export function updateVolume(ctx: Ctx): Reply {
  const v = volumeOf(ctx);
  const req = parseBody(updateVolumeRequest, ctx.body);
  if (req.auto_backup_enabled !== undefined) v.autoBackupEnabled = req.auto_backup_enabled;
  if (req.snapshot_retention !== undefined) v.snapshotRetention = req.snapshot_retention;
  return json(200, volumeView(v));
}

export function extendVolume(ctx: Ctx): Reply {
  const v = volumeOf(ctx);
  const req = parseBody(extendVolumeRequest, ctx.body);
  if (req.size_gb <= v.sizeGb)
    throw badRequest(`size_gb: volumes only grow; ${v.id} is ${v.sizeGb} GB, asked for ${req.size_gb}`);
  v.sizeGb = req.size_gb;
  const holder = v.attachedMachineId ? ctx.core.world.machines.get(v.attachedMachineId) : undefined;
  return json(200, { needs_restart: holder?.state === "started", volume: volumeView(v) });
}

export function deleteVolume(ctx: Ctx): Reply {
  const v = volumeOf(ctx);
  const holder = v.attachedMachineId ? ctx.core.world.machines.get(v.attachedMachineId) : undefined;
  if (holder && isLive(holder)) throw preconditionFailed(`volume ${v.id} is attached to machine ${holder.id}`);
  v.state = "destroyed";
  return json(200, volumeView(v));
}
