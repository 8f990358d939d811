import type { DesiredApp } from "../../config/desired-app";
import type { FlyVolume } from "../client/fly-types";
import { isGone } from "../client/is-gone";
import type { PlanStep, VolumeRef } from "./plan-types";

type VolumeStep = Extract<PlanStep, { kind: "create-volume" | "extend-volume" }>;

/**
 * Volumes per name × region: grows each to the desired size, creates the missing ones, and hands
 * out a free volume (existing and unattached, or one a planned step creates) to each new machine.
 * Never shrinks or deletes: data stays.
 */
export function createVolumePool(desired: DesiredApp, live: FlyVolume[]) {
  const steps: VolumeStep[] = [];
  const free = new Map<string, VolumeRef[]>();
  const key = (name: string, region: string) => `${name}@${region}`;
  const usable = live.filter((v) => !isGone(v));

  function addCreate(name: string, region: string): VolumeRef {
    const spec =
      desired.volumes.find((v) => v.name === name && v.region === region) ??
      desired.volumes.find((v) => v.name === name);
    const n = steps.filter((s) => s.kind === "create-volume" && s.name === name && s.region === region).length;
    const step: VolumeStep = {
      id: `volume-create:${name}:${region}:${n + 1}`,
      kind: "create-volume",
      name,
      region,
      sizeGb: spec?.sizeGb ?? 1,
    };
    if (spec?.encrypted !== undefined) step.encrypted = spec.encrypted;
    if (spec?.compute) step.compute = spec.compute;
    if (spec?.snapshotRetention !== undefined) step.snapshotRetention = spec.snapshotRetention;
    if (spec?.autoBackupEnabled !== undefined) step.autoBackupEnabled = spec.autoBackupEnabled;
    steps.push(step);
    return { step: step.id };
  }

  for (const want of [...desired.volumes].sort((a, b) => key(a.name, a.region).localeCompare(key(b.name, b.region)))) {
    const have = usable
      .filter((v) => v.name === want.name && v.region === want.region)
      .sort((a, b) => a.id.localeCompare(b.id));
    for (const v of have)
      if (v.size_gb < want.sizeGb)
        steps.push({
          id: `volume-extend:${v.id}`,
          kind: "extend-volume",
          volumeId: v.id,
          name: v.name,
          region: v.region,
          sizeGb: want.sizeGb,
        });
    const pool: VolumeRef[] = have.filter((v) => !v.attached_machine_id).map((v) => ({ id: v.id }));
    for (let i = have.length; i < want.count; i++) pool.push(addCreate(want.name, want.region));
    free.set(key(want.name, want.region), pool);
  }

  return {
    steps,
    /** A volume for a new machine's mount: an unattached one first, else one created for it. */
    take(name: string, region: string): VolumeRef {
      return free.get(key(name, region))?.shift() ?? addCreate(name, region);
    },
  };
}
