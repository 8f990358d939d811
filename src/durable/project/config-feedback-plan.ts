/**
 * What a config evaluation owes the outside world: a `tower/config` status on the config commit
 * (success, or failure naming the first problem by file:line:col) and `config.invalid` to the
 * root project's notify targets. Pure; keys derive from the event's, so nothing is said twice.
 */

import type { Diagnostic } from "../../config/resolved-app";
import type { NotifyTarget } from "../../config/schema/notify-schema";
import { type CommitState, shortDescription } from "../../notify/delivery";
import { type HostRepo, repoLabel } from "../../notify/git-host";
import { NOTIFICATION_SCHEMA, type Notification } from "../../notify/notification";
import { notifyEntries } from "../feedback/notify-entries";
import type { OutboxEntry } from "../feedback/outbox-table";
import type { DecidedEvent } from "./events";

export interface ConfigFeedback {
  /** The config repo (credentials removed) and its host's API, when Tower knows it. */
  repo: { url: string; host: HostRepo | null };
  notify: NotifyTarget[];
  publicUrl: string | null;
}

/** Only evaluations owe feedback: every other event (a push, a desired state) is skipped cheaply. */
export function owesConfigFeedback(
  event: DecidedEvent,
): event is Extract<DecidedEvent, { type: "config.evaluated" | "config.failed" }> {
  return event.type === "config.evaluated" || event.type === "config.failed";
}

export function planConfigFeedback(event: DecidedEvent, feedback: ConfigFeedback): OutboxEntry[] {
  if (!owesConfigFeedback(event)) return [];
  const { commit, errors } = event.data;
  const entries: OutboxEntry[] = [];
  const to = feedback.repo.host;
  const link = feedback.publicUrl ? { targetUrl: `${feedback.publicUrl.replace(/\/+$/, "")}/api/config` } : {};
  if (to && commit) {
    const lane = repoLabel(to);
    const state: CommitState =
      errors.length === 0
        ? "success"
        : event.type === "config.failed" && event.data.stage === "fetch"
          ? "error"
          : "failure";
    const description =
      event.type === "config.evaluated" && errors.length === 0
        ? `Config valid: ${event.data.apps.length} app${event.data.apps.length === 1 ? "" : "s"}`
        : problemLine(errors);
    entries.push({
      key: `fb:${event.key}:status:${lane}`,
      lane,
      delivery: {
        kind: "commit-status",
        to,
        sha: commit,
        context: "tower/config",
        state,
        description: shortDescription(description),
        ...link,
      },
    });
  }
  if (errors.length === 0) return entries;
  const notification: Notification = {
    schema: NOTIFICATION_SCHEMA,
    id: `${event.key}:config.invalid`,
    event: "config.invalid",
    at: event.at,
    app: null,
    deploy: null,
    commit: commit ? { repo: feedback.repo.url, sha: commit } : null,
    failure: null,
    problems: errors.map(({ file, line, col, message }) => ({ file, line, col, message })),
    summary: `config${commit ? ` ${commit.slice(0, 7)}` : ""} is invalid: ${problemLine(errors)}`,
  };
  return [...entries, ...notifyEntries(feedback.notify, notification, event.key)];
}

function problemLine(errors: Pick<Diagnostic, "file" | "line" | "col" | "message">[]): string {
  const first = errors[0];
  if (!first) return "no problems";
  const place = first.file ? `${first.file}:${first.line}:${first.col}: ` : "";
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : "";
  return `${place}${first.message}${more}`;
}
