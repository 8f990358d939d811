/**
 * The AppDO's events: a union on `type`, each with a schema version `v`. Plain data, no secret
 * values (secrets enter only as digests). Add a new version by bumping `v` here and adding an
 * upcaster step in upcasters.ts for the old one.
 */
import type { DeployStep, GateFailure } from "../contract";
import { type Decided, eventBuilder } from "../event-sourced";

/** What a deploy makes true: the deploy happens when this differs from the last successful one. */
export interface Target {
  configHash: string;
  sourceCommit: string | null;
  secretsDigest: string;
}

type Event<T extends string, D> = { type: T; data: D };

/** An AppDO event as decided and stored: its data, schema version, time and idempotency key. */
export type AppEvent = Decided<AppEventData>;

export type AppEventData =
  /** Config or source moved: the newest desired state. `deployId` is the deploy it queues. */
  | Event<"desired.changed", Target & { app: string; org: string; cause: string; deployId: string }>
  /** Admin force-sync: redeploy the newest desired state even when it is deployed already. */
  | Event<"deploy.requested", { deployId: string; cause: string }>
  /** Fly differs from what the last successful deploy applied: `deployId` re-applies it. */
  | Event<"drift.detected", { deployId: string; cause: string; appliedBy: string; planSummary: Record<string, number> }>
  /** A queued desired state was replaced by a newer one before it started: it never runs. */
  | Event<"deploy.superseded", { deployId: string; by: string }>
  | Event<"deploy.started", Target & { deployId: string; release: number; cause: string; timeoutAt: string }>
  | Event<"deploy.step", DeployStep & { deployId: string }>
  /** The image is known and the plan made: execution may begin. */
  | Event<"deploy.planned", { deployId: string; image: string; planSummary: Record<string, number> }>
  | Event<"deploy.succeeded", { deployId: string; release: number }>
  /**
   * `step` names where it failed; `reason` says why (never with secret values). `gate`: a gate
   * stopped it (machine, check, output, exit code); `changed`: what this deploy changed against the
   * last successful one.
   */
  | Event<"deploy.failed", { deployId: string; step: string; reason: string; gate?: GateFailure; changed?: Changed }>
  /**
   * A gate failed: `deployId` (cause `restore:<failed>`) puts back release `release` (deploy `from`):
   * its image and config, through the same strategy and gates. Never follows a failed restore.
   */
  | Event<"restore.requested", { deployId: string; failed: string; from: string; release: number; cause: string }>
  /** Admin rollback to release `release` (deploy `from`); the app stays pinned to it. */
  | Event<"rollback.requested", { deployId: string; from: string; release: number; cause: string }>
  /** The pin ended (`reason`: a new commit or an admin unpin); `deployId` follows git again, if needed. */
  | Event<"app.unpinned", { reason: string; deployId: string | null }>
  /** A build machine was started for the deploy's image; `buildKey` names what it builds. */
  | Event<"build.started", { deployId: string; buildKey: string; machineId: string; builderApp: string; image: string }>
  /** The build pushed `image` (by digest) and exited 0; a later deploy of the same key reuses it. */
  | Event<
      "build.finished",
      { deployId: string; buildKey: string; exitCode: number; digest: string; image: string; durationMs: number }
    >
  | Event<"build.failed", { deployId: string; buildKey: string; reason: string }>
  /**
   * Tower made the Fly app (it did not exist when `deployId` began): the one proof prune accepts.
   * Recorded when Tower's create answered, or found the name taken right after Fly said it was free.
   */
  | Event<"app.created", { deployId: string; org: string }>
  /**
   * Tower took over an app it did not create: `adopt: true` in the app's file, or (migration) the
   * app was deployed by Tower before creation records were kept. Never pruned.
   */
  | Event<"app.adopted", { deployId: string; reason: string }>
  /** The app left the config of a project with `prune: true`. */
  | Event<"app.destroy.requested", { cause: string }>
  /** `destroyed` is false when Tower left the app alone (not created by Tower, or already gone). */
  | Event<"app.destroyed", { destroyed: boolean; reason: string }>
  /**
   * A git host or notify target refused a delivery, or it failed until the outbox gave up. Logged
   * once per target (`lane`) and cause, however many deliveries it refuses after.
   */
  | Event<"feedback.undelivered", { lane: string; reason: string; attempts: number }>;

export type AppEventType = AppEvent["type"];

/** What a deploy changed against the last successful one: shown in deploy.failed. */
export interface Changed {
  image?: { from: string | null; to: string | null };
  configHash?: { from: string; to: string };
  sourceCommit?: { from: string | null; to: string | null };
  secrets?: boolean;
}

/** Current schema version per type: bump one with an upcaster step in upcasters.ts. */
const APP_EVENT_VERSION: Record<AppEventType, number> = {
  "desired.changed": 1,
  "deploy.requested": 1,
  "drift.detected": 1,
  "deploy.superseded": 1,
  "deploy.started": 1,
  "deploy.step": 1,
  "deploy.planned": 1,
  "deploy.succeeded": 1,
  "deploy.failed": 1,
  "restore.requested": 1,
  "rollback.requested": 1,
  "app.unpinned": 1,
  "build.started": 1,
  "build.finished": 1,
  "build.failed": 1,
  "app.created": 1,
  "app.adopted": 1,
  "app.destroy.requested": 1,
  "app.destroyed": 1,
  "feedback.undelivered": 1,
};

export const event = eventBuilder<AppEventData>(APP_EVENT_VERSION);
export const APP_STREAM = "app";
