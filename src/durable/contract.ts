import type { Diagnostic, ResolvedApp } from "../config/resolved-app";
import type { GateFailure, StepOutcomeName } from "../fly/exec/step-outcome";

export type { GateFailure };

import type { ImagesStatus } from "./images/images-status";
import type { Announcement, PromoteAnswer, WaveAnswer, WavesStatus } from "./waves/api-types";

/**
 * The Durable Objects' RPC surface as the Worker sees it: what the webhook route records and what
 * the read-only API shows. Plain, structured-clonable data; no secret values anywhere.
 */

/** A git push, normalised across GitHub, Gitea/Forgejo, GitLab and Bitbucket. */
export interface PushReceived {
  provider: "github" | "gitea" | "gitlab" | "bitbucket";
  /** The host's delivery id (GitHub `X-GitHub-Delivery`, …): the idempotency key. */
  deliveryId: string;
  /** Normalised repo key, `host/owner/name` (see src/git repo URL normalisation). */
  repo: string;
  /** Full ref name, `refs/heads/main` or `refs/tags/v1`. */
  ref: string;
  before: string;
  /** The new commit; all zeros when the ref was deleted. */
  after: string;
  deleted: boolean;
  /** ISO 8601, when Tower received it. */
  receivedAt: string;
}

/**
 * A pull request (GitLab: merge request) opened, updated or closed, as the host told it. A hint
 * only: Tower lists its head ref (`refs/pull/<number>/head`, GitLab `refs/merge-requests/<iid>/head`)
 * itself before it deploys, so a forged payload cannot pick the commit.
 */
export interface PullRequestReceived {
  provider: PushReceived["provider"];
  deliveryId: string;
  /** The base repo's key, `host/owner/name`: where the pull request is. */
  repo: string;
  number: number;
  /** opened/reopened/synchronize → `open`; closed (merged or not) → `close`. */
  action: "open" | "close";
  /** The head branch lives in another repository. */
  fork: boolean;
  /** The head commit the payload names (not trusted; see above); empty when it names none. */
  headHint: string;
  receivedAt: string;
}

export interface RecordPushResult {
  duplicate: boolean;
  /** Position of the push in the ProjectDO log. */
  seq: number;
}

/**
 * `degraded`: a gate failed and Tower is restoring the last good release; `failed`: the wanted
 * release is not running (see `failure`); `pinned`: a rollback holds the app on an earlier release.
 */
export type AppStatusName = "synced" | "deploying" | "failed" | "pending" | "degraded" | "pinned";

export interface AppSummary {
  name: string;
  org: string;
  status: AppStatusName;
  desired: { configHash: string | null; sourceCommit: string | null };
  deployed: { configHash: string | null; sourceCommit: string | null };
  lastDeploy: DeploySummary | null;
  /** Why the wanted release is not running: the deploy that failed, where, and the gate's findings. */
  failure: AppFailure | null;
  /** Set after a rollback: syncs leave the app on this release until a new commit or an unpin. */
  pin: AppPin | null;
  /** Set on a pull request's preview app: the app it previews, the pull request, its head. */
  preview?: { app: string; number: number; head: string };
}

export interface AppFailure {
  deployId: string;
  step: string;
  reason: string;
  gate?: GateFailure;
  /** The restore that followed, if any, and how it went. */
  restore?: { deployId: string; outcome: DeployOutcome | "queued" };
}

export interface AppPin {
  /** The deploy whose release the app is held on. */
  deployId: string;
  release: number;
  /** The rollback deploy that put it back. */
  by: string;
  since: string;
}

/** `POST /api/apps/{app}/rollback`: one of the two names the release to go back to. */
export type RollbackRequest = { deploy: string; key: string } | { release: number; key: string };

export type RollbackResult =
  | { ok: true; deployId: string; pin: AppPin }
  | { ok: false; code: "not_found" | "not_restorable"; message: string };

export type DeployOutcome = "running" | "succeeded" | "failed" | "superseded";

export interface DeploySummary {
  id: string;
  /** Monotonic per app; flyctl's `fly_release_version`. */
  release: number;
  outcome: DeployOutcome;
  cause: string;
  configHash: string;
  sourceCommit: string | null;
  startedAt: string;
  finishedAt: string | null;
  /** The image the deploy runs (a digest once built or resolved); null until planned. */
  image: string | null;
}

export interface DeployStep {
  name: string;
  outcome: StepOutcomeName;
  startedAt: string;
  finishedAt: string | null;
  message?: string;
  /** wait/retry: how long the step asked to wait before the next attempt (ms). */
  afterMs?: number;
  /** stalled at a gate: which one, the machine, the check and its output. */
  gate?: GateFailure;
}

export interface DeployDetail extends DeploySummary {
  planSummary: Record<string, number>;
  steps: DeployStep[];
  error: string | null;
  /** How it failed: the step, the reason and, at a gate, what the gate saw. */
  failure: { step: string; reason: string; gate?: GateFailure } | null;
  /** Restore or rollback: the deploy whose release this one put back. */
  restoreOf: string | null;
  /** A failed deploy: the restore that followed it. */
  restoredBy: string | null;
  /** Set when retention dropped `steps` (the deploy finished before RETENTION_DAYS); the rest stays. */
  compacted?: true;
}

export interface StoredEvent {
  seq: number;
  type: string;
  v: number;
  at: string;
  key: string;
  data: Record<string, unknown>;
}

export interface ConfigStatus {
  repo: string;
  ref: string;
  path: string;
  commit: string | null;
  lastEvaluation: { at: string; commit: string; ok: boolean; apps: number } | null;
  /** The evaluation's errors: config Diagnostics without the severity (all are errors). */
  errors: Omit<Diagnostic, "severity">[];
  /** The last finished cron tick: repos listed, invocations (slices) it took, most subrequests in one. */
  lastTick: { at: string; finishedAt: string; repos: number; slices: number; maxSubrequests: number } | null;
}

export interface Page<T> {
  items: T[];
  /** Opaque cursor for the next page; null at the end. */
  next: string | null;
}

/** What the ProjectDO tells an AppDO: the app as config now resolves it. `key` makes it idempotent. */
export interface DesiredNotice {
  app: ResolvedApp;
  sourceCommit: string | null;
  cause: string;
  key: string;
  /**
   * The commit this desired state came from, reported on when it deploys: the app repo's commit
   * for git sources, else the config commit. Absent: nothing is reported on a commit.
   */
  origin?: { url: string; sha: string } | null;
  /** Redeploy even when nothing changed (admin `?force=true`); keyed by `key` like the rest. */
  force?: boolean;
  /** The telling ProjectDO's id: the AppDO reports its summary there (`reportSummary`). */
  project?: string;
}

/** An AppDO's summary at its log `version`: what the ProjectDO's projection keeps per app. */
export interface SummaryReport {
  version: number;
  summary: AppSummary;
}

/** An admin's force-sync: `key` makes a repeat of the same request a no-op. */
export interface ForceSyncRequest {
  cause: string;
  key: string;
}

/** What a ProjectDO still owes: pushes to route, a delivery waiting for its retry, the next alarm. */
export interface ProjectBacklog {
  /** Pushes and pull request events recorded and not yet routed. */
  inbox: number;
  deliveryRetry: { attempts: number } | null;
  /** The latest repeat of the logged config failure (repeats move this, not the log). */
  configFailure: { at: string; stage: string; commit: string | null; cause: string } | null;
  alarmAt: number | null;
  /** The most subrequests one sync pass of this DO has made (0 before the first). */
  maxPassSubrequests: number;
}

/** ProjectDO's RPC methods (implemented in src/durable/project-do.ts). */
export interface ProjectRpc {
  /** Appends a push to the inbox (idempotent on deliveryId) and schedules the work; returns at once. */
  recordPush(push: PushReceived): Promise<RecordPushResult>;
  /** Appends a pull request event (idempotent on deliveryId) and schedules its routing. */
  recordPullRequest(pull: PullRequestReceived): Promise<RecordPushResult>;
  /** Cron tick: list refs of the config repo and the app repos; tell apps whose ref moved. */
  tick(now: string): Promise<void>;
  /** Admin sync: re-read config now; `force` redeploys every app even when nothing changed. */
  requestSync(options: { force: boolean; cause: string }): Promise<void>;
  /** Every app in config, then the live previews, as their AppDOs last reported them (else as config holds them): no AppDO asked. */
  listApps(): Promise<AppSummary[]>;
  /** One app as config holds it (status `pending`), or a live preview, or null: one call, no AppDO asked. */
  configuredApp(name: string): Promise<AppSummary | null>;
  /** One app in config (or a live preview) as its AppDO last reported it (else as config holds it), or null. */
  appSummary(name: string): Promise<AppSummary | null>;
  /** From an AppDO after its state changed: keeps the projection; an older version is ignored. */
  reportSummary(report: SummaryReport): Promise<void>;
  configStatus(): Promise<ConfigStatus>;
  backlog(): Promise<ProjectBacklog>;
  events(after: number, limit: number): Promise<StoredEvent[]>;
  /** Image automation: each followed image and app, the tags seen, the choice and why, errors. */
  images(): Promise<ImagesStatus>;
  /** The last `limit` events, newest first (the dashboard's log and the start of its live tail). */
  latestEvents(limit: number): Promise<StoredEvent[]>;
  /** CI's images, checked and committed to the first wave's images file (docs/waves.md). */
  announceImages(body: Announcement): Promise<WaveAnswer>;
  /** Admin: approves what waits to be promoted into an `approve: manual` wave. */
  promoteWave(wave: string): Promise<PromoteAnswer>;
  /** Each wave, what it runs, its health, and what waits to be promoted into it and why. */
  wavesStatus(): Promise<WavesStatus>;
  /** Benches only (TEST_HOOKS): seeds `pushes` received-and-routed pushes; `alarm` first runs one pass. */
  testHistory(pushes: number, options?: TestHistoryOptions): Promise<TestHistory>;
}

/** AppDO's RPC methods (implemented in src/durable/app-do.ts). */
export interface AppRpc {
  summary(): Promise<AppSummary | null>;
  deploys(query: { cursor?: string; outcome?: DeployOutcome; limit: number }): Promise<Page<DeploySummary>>;
  deploy(id: string): Promise<DeployDetail | null>;
  events(after: number, limit: number): Promise<StoredEvent[]>;
  /** The last `limit` events, newest first. */
  latestEvents(limit: number): Promise<StoredEvent[]>;
  /** Admin force-sync: redeploy even when nothing changed; idempotent on `request.key`. */
  forceSync(request: ForceSyncRequest): Promise<void>;
  /** Admin: redeploy an earlier release exactly (its image and config) and pin the app to it. */
  rollback(request: RollbackRequest): Promise<RollbackResult>;
  /** Admin: end a pin; the app follows git again (its newest desired state deploys if it differs). */
  unpin(key: string): Promise<{ unpinned: boolean }>;
  /** Benches only, refused unless TEST_HOOKS is "true": seeds finished deploys (see app/test-hooks.ts). */
  testHistory(name: string, deploys: number, options?: TestHistoryOptions): Promise<TestHistory>;
}

export interface TestHistoryOptions {
  /** ISO time of the first seeded deploy (default 2024-01-01); each next one is a second later. */
  from?: string;
  /** Run one alarm first: a cold start → first alarm done, for the wake bench. */
  alarm?: boolean;
}

/** The log's version and first seq (past 1 after retention), the database size, an alarm pending. */
export interface TestHistory {
  version: number;
  first: number;
  bytes: number;
  pending: boolean;
}

/** What a drift check found: `drift` when a re-apply was queued; `skipped` says why none ran. */
export interface DriftCheck {
  drift: boolean;
  /** The plan's counts against what Fly runs (empty: no drift). */
  planSummary?: Record<string, number>;
  skipped?: string;
}

/** AppDO's methods for the ProjectDO only (not the public API). */
export interface AppNoticeRpc {
  /** Records the app's newest desired state (idempotent on `notice.key`) and schedules its deploy. */
  desire(notice: DesiredNotice): Promise<{ duplicate: boolean; changed: boolean }>;
  /** `prune: true`: destroys the Fly app once no deploy runs, only if Tower created it. */
  destroyApp(cause: string): Promise<void>;
  /** `sync.self_heal`: when idle, compares Fly with the last successful deploy; re-applies on a difference. */
  checkDrift(cause: string): Promise<DriftCheck>;
}
