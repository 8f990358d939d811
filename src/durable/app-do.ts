import { DurableObject } from "cloudflare:workers";
import type { TowerEnv } from "../env";
import { alarmNoLaterThan } from "./alarm";
import { AppFeedback } from "./app/app-feedback";
import { AppLog } from "./app/app-log";
import { writeRow } from "./app/app-rows";
import { createBuildPort } from "./app/build-port";
import { runSlice } from "./app/deploy-driver";
import { checkDrift } from "./app/drift-check";
import { createFlyEngine } from "./app/fly-engine";
import { toDeployDetail, toDeployPage, toSummary } from "./app/projections";
import type {
  AppNoticeRpc,
  AppRpc,
  AppSummary,
  DeployDetail,
  DeployOutcome,
  DeploySummary,
  DesiredNotice,
  DriftCheck,
  ForceSyncRequest,
  Page,
  StoredEvent,
} from "./contract";
import { FeedbackOutbox } from "./feedback/outbox-table";

/** A deploy that has not finished after this long fails (health waits included). */
const DEPLOY_TIMEOUT_MS = 30 * 60_000;
/** One alarm works this long, then re-arms: well inside the 15-minute alarm limit. */
const SLICE_MS = 20_000;

/**
 * One per Fly app: its event log and the deploy state machine. Thin on purpose: the rules live in
 * app/decide.ts, the deploy steps in app/deploy-driver.ts; this class persists and schedules.
 */
export class AppDO extends DurableObject<TowerEnv> implements AppRpc, AppNoticeRpc {
  private readonly log: AppLog;
  private readonly feedback: AppFeedback;
  /** One slice at a time, even if an alarm is run by hand while another is in flight. */
  private slicing = false;

  constructor(ctx: DurableObjectState, env: TowerEnv) {
    super(ctx, env);
    this.log = new AppLog(ctx.storage);
    this.feedback = new AppFeedback(this.log, new FeedbackOutbox(ctx.storage), this.envRecord());
    this.log.observer = this.feedback.observe;
    ctx.blockConcurrencyWhile(async () => {
      this.log.load();
      this.feedback.outbox.migrate();
    });
  }

  async desire(notice: DesiredNotice): Promise<{ duplicate: boolean; changed: boolean }> {
    const { app } = notice;
    const result = this.log.execute({
      type: "desire",
      at: now(),
      key: notice.key,
      deployId: newDeployId(),
      app: app.name,
      org: app.org,
      target: { configHash: app.hash, sourceCommit: notice.sourceCommit, secretsDigest: app.secretsDigest },
      cause: notice.cause,
    });
    // Same synchronous block as the append: the row and the event land together.
    if (result.events.length > 0) {
      writeRow(this.log.store, "desired-app", app);
      writeRow(this.log.store, "desired-origin", notice.origin ?? null);
    }
    // A forced notice redeploys in the same call, keyed by the notice: a retried delivery repeats neither.
    const forced =
      notice.force && !result.duplicate ? this.force({ cause: notice.cause, key: `${notice.key}:force` }) : 0;
    await this.schedule();
    return { duplicate: result.duplicate, changed: result.events.length + forced > 0 };
  }

  async forceSync(request: ForceSyncRequest): Promise<void> {
    this.force(request);
    await this.schedule();
  }

  async destroyApp(cause: string): Promise<void> {
    this.log.execute({ type: "destroy", at: now(), key: `destroy:${this.log.state.version}`, cause });
    await this.schedule();
  }

  async checkDrift(cause: string): Promise<DriftCheck> {
    // A slice in flight is a deploy or a build: it is the one to say what Fly runs.
    if (this.slicing) return { drift: false, skipped: "a deploy slice is running" };
    const ctx = {
      log: this.log,
      engine: createFlyEngine(this.env),
      env: this.envRecord(),
      now: Date.now,
      sliceMs: SLICE_MS,
    };
    const result = await checkDrift(ctx, cause, newDeployId());
    if (result.drift) await this.schedule();
    return result;
  }

  async summary(): Promise<AppSummary | null> {
    return toSummary(this.log.state);
  }

  async deploys(query: { cursor?: string; outcome?: DeployOutcome; limit: number }): Promise<Page<DeploySummary>> {
    return toDeployPage(this.log.state, query);
  }

  async deploy(id: string): Promise<DeployDetail | null> {
    return toDeployDetail(this.log.state, id);
  }

  async events(after: number, limit: number): Promise<StoredEvent[]> {
    return this.log.read(after, Math.min(Math.max(limit, 1), 1000));
  }

  async latestEvents(limit: number): Promise<StoredEvent[]> {
    return this.log.readLatest(Math.min(Math.max(limit, 1), 1000));
  }

  override async alarm(): Promise<void> {
    if (this.slicing) return;
    this.slicing = true;
    let next: number | null = null;
    try {
      next = await runSlice({
        log: this.log,
        engine: createFlyEngine(this.env),
        env: this.envRecord(),
        now: Date.now,
        sliceMs: SLICE_MS,
        timeoutMs: DEPLOY_TIMEOUT_MS,
        builds: createBuildPort(this.envRecord()),
      });
    } finally {
      this.slicing = false;
      // Feedback goes out after the slice and never holds it up: its failures stay in the outbox.
      const feedback = await this.feedback.drain().catch(() => 60_000);
      // After a throw the log still says what is left: come back soon rather than never.
      await this.schedule(earliest(next ?? this.pendingWakeup(), feedback));
    }
  }

  /** Appends the force-sync; returns how many events it added. */
  private force({ cause, key }: ForceSyncRequest): number {
    return this.log.execute({ type: "force-sync", at: now(), key, deployId: newDeployId(), cause }).events.length;
  }

  private envRecord(): Record<string, unknown> {
    return this.env as unknown as Record<string, unknown>;
  }

  /** Sets the alarm `delayMs` from now unless one is due sooner; with no delay, clears nothing. */
  private async schedule(delayMs: number | null = 0): Promise<void> {
    if (delayMs !== null) await alarmNoLaterThan(this.ctx.storage, Date.now() + delayMs);
  }

  /** A running deploy must be looked at again by its timeout at the latest. */
  private pendingWakeup(): number | null {
    const { running, queued } = this.log.state;
    return running !== null || queued !== null ? 1_000 : null;
  }
}

function earliest(a: number | null, b: number | null): number | null {
  return a === null ? b : b === null ? a : Math.min(a, b);
}

function now(): string {
  return new Date().toISOString();
}

/** Sortable by time, unique enough per app: base36 milliseconds plus random hex. */
function newDeployId(): string {
  return `d${Date.now().toString(36)}${crypto.randomUUID().slice(0, 8)}`;
}
