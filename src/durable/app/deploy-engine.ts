/**
 * The port the deploy driver drives: what Fly work a deploy needs, in resumable slices. Implemented
 * over src/fly (fly-engine.ts). The journal is the executor's own serialisable progress; the
 * driver stores it in the DO's state table (never in the log: it may carry machine configs).
 */
import type { ResolvedApp } from "../../config/resolved-app";
import type { DeployStep } from "../contract";

export interface DeployInput {
  app: ResolvedApp;
  image: string;
  /** Secret values, resolved from the Worker env at deploy time: in memory only. */
  secrets: Record<string, string>;
  /** The AppDO's HMAC key for `tower_secrets` (app-rows.ts `secretsKey`). */
  secretsKey: string;
  /** The deploy id: flyctl's `fly_release_id`. */
  releaseId: string;
  /** flyctl's `fly_release_version`. */
  releaseVersion: number;
  /** Epoch ms by which a call must hand back, done or not. */
  deadline: number;
  /** Admin force-sync: every machine is updated with this release even when nothing changed. */
  redeploy?: boolean;
  /** Secret names Tower set before: those the config dropped are unset (see managed-secrets.ts). */
  managedSecrets?: string[];
}

export interface PlannedDeploy {
  journal: unknown;
  /** Counts by kind of change (e.g. `{ create: 2, update: 1 }`), shown in the deploy detail. */
  planSummary: Record<string, number>;
}

export interface AdvancedDeploy {
  journal: unknown;
  /** What each step did in this slice: done, wait (requeue), retry (transient), stalled (terminal). */
  outcomes: DeployStep[];
  finished: boolean;
  /** The largest delay any step asked for (Fly's Retry-After, backoff, a held lease); 0: go on. */
  delayMs: number;
}

export interface DeployEngine {
  /** Reads what Fly runs and plans the deploy. */
  plan(input: DeployInput): Promise<PlannedDeploy>;
  /** Carries the plan forward until done, blocked or past `input.deadline`. Safe to repeat. */
  advance(journal: unknown, input: DeployInput): Promise<AdvancedDeploy>;
  /** Whether the app exists in `org`; an app of another organisation throws (isForeignAppError). */
  findApp(name: string, org: string): Promise<boolean>;
  /** Asks Fly to create the app; "taken" when the name exists already (fly-go CreateApp, 422). */
  createApp(name: string, org: string): Promise<"created" | "taken">;
  /** Destroys the Fly app; the caller decided it is Tower's (ownership.ts pruneVerdict). */
  destroyApp(name: string): Promise<{ destroyed: boolean; reason: string }>;
}
