import { MACHINE_METADATA } from "../../base/machine-metadata";
import type { DesiredApp } from "../../config/desired-app";
import type { FlyMachineConfig } from "../../config/fly-machine-config";
import type { FlyClient } from "../client/fly-client";
import type { Plan, VolumeRef } from "../plan/plan-types";
import type { DeployJournal, StepRecord } from "./journal";
import { StepStalled, StepWaiting } from "./step-outcome";

export interface StepContext {
  client: FlyClient;
  app: string;
  plan: Plan;
  desired: DesiredApp;
  journal: DeployJournal;
  record: StepRecord;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  deadline: number;
  leaseTtlS: number;
  /** How often to look again while waiting for checks (ms). */
  pollMs: number;
}

/** Milliseconds left in this slice; below `need` the step yields and comes back. */
export function requireTime(ctx: StepContext, need: number, reason: string): number {
  const left = ctx.deadline - ctx.now();
  if (left < need) throw new StepWaiting(0, `${reason} (slice budget spent)`);
  return left;
}

/** Stalls when the step has waited longer than `limitMs` (default `[deploy] wait_timeout`). */
export function checkTimeout(ctx: StepContext, what: string, limitMs = ctx.plan.waitTimeoutMs): void {
  if (ctx.now() - ctx.record.startedAt > limitMs)
    throw new StepStalled(`timed out after ${Math.round(limitMs / 1000)}s waiting for ${what}`);
}

/** The config as sent to Fly: release stamps added, volume references resolved to ids. */
export function finalConfig(
  ctx: StepContext,
  config: FlyMachineConfig,
  volumes?: Record<string, VolumeRef>,
): FlyMachineConfig {
  const metadata = {
    ...config.metadata,
    [MACHINE_METADATA.releaseId]: ctx.journal.release.id,
    [MACHINE_METADATA.releaseVersion]: String(ctx.journal.release.version),
  };
  const mounts = config.mounts?.map((m) => {
    const ref = volumes?.[m.name];
    if (!ref) return m;
    const id = "id" in ref ? ref.id : ctx.journal.made[ref.step];
    if (!id)
      throw new StepStalled(`volume for mount ${m.name} was not created (step ${"step" in ref ? ref.step : ""})`);
    return { ...m, volume: id };
  });
  return mounts ? { ...config, metadata, mounts } : { ...config, metadata };
}

/** New and updated machines ask for at least the secrets version this run set. */
export function secretsVersion(ctx: StepContext): { min_secrets_version?: number } {
  return ctx.journal.secretsVersion === undefined ? {} : { min_secrets_version: ctx.journal.secretsVersion };
}
