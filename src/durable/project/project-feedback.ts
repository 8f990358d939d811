/**
 * The ProjectDO's side of feedback: config evaluations enqueue a `tower/config` status and
 * `config.invalid` notifications in the append's synchronous block; the alarm drains them. The
 * root project's targets are kept from the last evaluation that could read them, so a broken
 * root project.yaml is still reported to whoever the last good one named.
 */
import type { Feedback } from "../../config/resolved-app";
import { redact } from "../../git";
import type { EventStore } from "../event-store";
import { drainLive, logMode, publicUrl } from "../feedback/drain-live";
import { originHost } from "../feedback/origin-host";
import type { FeedbackOutbox } from "../feedback/outbox-table";
import { owesConfigFeedback, planConfigFeedback } from "./config-feedback-plan";
import type { DecidedEvent } from "./events";
import { readRow, writeRow } from "./project-rows";

export class ProjectFeedback {
  constructor(
    private readonly store: EventStore,
    readonly outbox: FeedbackOutbox,
    private readonly env: Record<string, unknown>,
    private readonly repoUrl: () => string,
  ) {}

  /** Called before the evaluation is recorded, when it could read the root project. */
  remember(feedback: Feedback): void {
    writeRow(this.store, "config-feedback", feedback);
  }

  readonly observe = (events: DecidedEvent[]): void => {
    // Called with every append (a webhook's too): what feedback needs is read only for evaluations.
    if (!events.some(owesConfigFeedback)) return;
    const kept = readRow(this.store, "config-feedback") ?? { notify: [], gitHosts: {} };
    const url = this.repoUrl();
    const repo = { url: redact(url), host: url ? originHost(url, kept.gitHosts, logMode(this.env)) : null };
    const feedback = { repo, notify: kept.notify, publicUrl: publicUrl(this.env) };
    for (const event of events) this.outbox.enqueue(planConfigFeedback(event, feedback), Date.now());
  };

  async drain(record: (undelivered: { key: string; lane: string; reason: string; attempts: number }) => void) {
    const { undelivered, delayMs } = await drainLive(this.outbox, this.env);
    for (const report of undelivered) record(report);
    return delayMs;
  }
}
