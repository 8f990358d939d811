/**
 * The AppDO's side of feedback: when its log appends a deploy event, plan what the outside world
 * is owed and enqueue it in the same synchronous block; from the alarm, drain the outbox. A host
 * that is down or refusing only delays its own deliveries; deploys never wait on it.
 */
import { redact } from "../../git";
import { drainLive, logMode, publicUrl } from "../feedback/drain-live";
import { originHost } from "../feedback/origin-host";
import type { FeedbackOutbox } from "../feedback/outbox-table";
import type { AppLog } from "./app-log";
import { readRow, writeRow } from "./app-rows";
import type { AppEvent } from "./events";
import { type DeployFeedback, planFeedback, previewLink } from "./feedback-plan";
import type { AppState } from "./state";

export class AppFeedback {
  constructor(
    private readonly log: AppLog,
    readonly outbox: FeedbackOutbox,
    private readonly env: Record<string, unknown>,
  ) {}

  /** The AppLog observer: runs inside the append's synchronous block. */
  readonly observe = (events: AppEvent[], state: AppState): void => {
    for (const event of events) {
      if (event.type === "deploy.started") {
        const feedback = this.deployFeedback();
        writeRow(this.log.store, "deploy-feedback", { deployId: event.data.deployId, feedback });
      }
      if (event.type !== "deploy.started" && event.type !== "deploy.succeeded" && event.type !== "deploy.failed")
        continue;
      const row = readRow(this.log.store, "deploy-feedback");
      if (row?.deployId !== event.data.deployId) continue;
      this.outbox.enqueue(planFeedback(event, state, row.feedback), Date.now());
    }
  };

  /** Sends what is due; returns the delay until the next row is due, or null when none waits. */
  async drain(): Promise<number | null> {
    const { undelivered, delayMs } = await drainLive(this.outbox, this.env);
    for (const { key, lane, reason, attempts } of undelivered)
      this.log.execute({ type: "record-undelivered", at: new Date().toISOString(), key, lane, reason, attempts });
    return delayMs;
  }

  private deployFeedback(): DeployFeedback {
    const app = readRow(this.log.store, "desired-app");
    const origin = readRow(this.log.store, "desired-origin");
    const notify = app?.feedback?.notify ?? [];
    const base = { notify, publicUrl: publicUrl(this.env), preview: previewLink(app) };
    if (!origin) return { origin: null, ...base };
    const host = originHost(origin.url, app?.feedback?.gitHosts ?? {}, logMode(this.env));
    return { origin: { url: redact(origin.url), sha: origin.sha, host }, ...base };
  }
}
