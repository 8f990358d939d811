import { DurableObject } from "cloudflare:workers";
import type { TowerEnv } from "../env";
import { alarmNoLaterThan } from "./alarm";
import { AppFeedback } from "./app/app-feedback";
import { AppLog } from "./app/app-log";
import { readRow, writeRow } from "./app/app-rows";
import { createBuildPort } from "./app/build-port";
import { runSlice } from "./app/deploy-driver";
import { newDeployId } from "./app/deploy-id";
import { checkDrift } from "./app/drift-check";
import { createFlyEngine } from "./app/fly-engine";
import { keptReleases } from "./app/kept-releases";
import { toSummary } from "./app/projections";
import { rollbackSource } from "./app/restore";
import { compactSlice } from "./app/retention";
import { seedHistory } from "./app/test-hooks";
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
  RollbackRequest,
  RollbackResult,
  StoredEvent,
  TestHistory,
  TestHistoryOptions,
} from "./contract";
import { FeedbackOutbox } from "./feedback/outbox-table";
import { retentionMs } from "./retention";
import { projectStubById } from "./stubs";

/** A deploy that has not finished after this long fails (health waits included). */
const DEPLOY_TIMEOUT_MS = 30 * 60_000;
/** A summary report the ProjectDO did not take is sent again this much later. */
const REPORT_RETRY_MS = 5_000;
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
      target: { configHash: app.configHash, sourceCommit: notice.sourceCommit, secretsDigest: app.secretsDigest },
      cause: notice.cause,
    });
    // Same synchronous block as the append: the row and the event land together.
    if (result.events.length > 0) {
      writeRow(this.log.store, "desired-app", app);
      writeRow(this.log.store, "desired-origin", notice.origin ?? null);
    }
    if (notice.project && readRow(this.log.store, "project")?.id !== notice.project)
      writeRow(this.log.store, "project", { id: notice.project, reported: 0 });
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

  async rollback(request: RollbackRequest): Promise<RollbackResult> {
    const from = "deploy" in request ? { deploy: request.deploy } : { release: request.release };
    const kept = keptReleases(this.log.store);
    const source = rollbackSource(this.log.state, from, kept);
    if (!("id" in source)) return { ok: false, ...source };
    this.log.execute({ type: "rollback", at: now(), key: request.key, deployId: newDeployId(), from, kept });
    await this.schedule();
    const pin = this.log.state.pin;
    if (!pin) return { ok: false, code: "not_restorable", message: "the app is being destroyed" };
    return {
      ok: true,
      deployId: pin.by,
      pin: { deployId: pin.deployId, release: pin.release, by: pin.by, since: pin.since },
    };
  }

  async unpin(key: string): Promise<{ unpinned: boolean }> {
    const result = this.log.execute({ type: "unpin", at: now(), key, deployId: newDeployId() });
    await this.schedule();
    return { unpinned: result.events.length > 0 };
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
    return this.log.history.page(query);
  }

  async deploy(id: string): Promise<DeployDetail | null> {
    return this.log.history.detail(id);
  }

  /**
   * Bench-only (see app/test-hooks.ts); refused unless TEST_HOOKS is "true". Seeds `deploys` more
   * finished deploys from `from` on (0: only wakes the object) and arms the alarm (retention runs
   * there); `alarm` runs one alarm first. Answers the log's version and first seq, the database size
   * and whether an alarm is still pending.
   */
  async testHistory(name: string, deploys: number, options: TestHistoryOptions = {}): Promise<TestHistory> {
    if (this.env.TEST_HOOKS !== "true") throw new Error("test hooks are off");
    if (options.alarm) await this.alarm();
    const version = seedHistory(this.log, name, deploys, Date.parse(options.from ?? "2024-01-01T00:00:00Z"));
    if (deploys > 0) await this.schedule();
    const first = this.log.store.first(this.log.stream);
    const pending = (await this.ctx.storage.getAlarm()) !== null;
    return { version, first, bytes: this.ctx.storage.sql.databaseSize, pending };
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
      // Retention after the deploy work, a bounded slice; the next alarm comes at once while more is due.
      if (compactSlice(this.log, { now: Date.now(), windowMs: retentionMs(this.env.RETENTION_DAYS) }).more) next = 0;
    } finally {
      this.slicing = false;
      // Feedback goes out after the slice and never holds it up: its failures stay in the outbox.
      const feedback = await this.feedback.drain().catch(() => 60_000);
      // After a throw the log still says what is left: come back soon rather than never.
      await this.schedule(earliest(next ?? this.pendingWakeup(), feedback));
      await this.report();
    }
  }

  /**
   * Tells the ProjectDO that told this app its desired state what the app's summary now is, when
   * the log moved since the last report: the list and per-app reads answer from that projection.
   * AppDO → ProjectDO only (an AppDO never calls another AppDO). Every RPC that changes the log
   * schedules an alarm, and every alarm ends here, so no change goes unreported for long.
   */
  private async report(): Promise<void> {
    const row = readRow(this.log.store, "project");
    const { version } = this.log.state;
    const summary = toSummary(this.log.state);
    if (!row || row.reported >= version || !summary) return;
    try {
      await projectStubById(this.env, row.id).reportSummary({ version, summary });
      writeRow(this.log.store, "project", { id: row.id, reported: version });
    } catch {
      // The projection lags until the next report: try again shortly.
      await this.schedule(REPORT_RETRY_MS);
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
