/**
 * The ProjectDO's event log: what arrived (pushes, sync requests), what config Tower read and
 * what came of it, and which apps it told. Every event is plain data with a schema version; no
 * secret value ever enters one (apps are named by their hash, never their resolved secrets).
 */
import type { AppSource, Diagnostic } from "../../config/resolved-app";
import type { PullRequestReceived, PushReceived } from "../contract";
import { type Decided, eventBuilder } from "../event-sourced";
import type { ImageEvent } from "../images/events";

/** An app as the evaluated config describes it, without its resolved config or secrets. */
export interface AppEntry {
  name: string;
  org: string;
  configHash: string;
  file: string;
  source: AppSource;
  /** The commit its build reads from: the app repo's ref, or the config commit for local sources. */
  sourceCommit: string | null;
  /** For local sources: the git tree id of the source folder, so only real changes redeploy. */
  sourceTree?: string;
  /** `sync.self_heal`: each cron tick asks its AppDO for a drift check. Absent: off. */
  selfHeal?: boolean;
  /** `previews` when enabled: what routing pull requests needs (the rest stays in the resolved row). */
  previews?: {
    forks: boolean;
    ttlHours: number;
    name: string;
    /** Live previews at most; absent in events from before it existed (then DEFAULT_MAX_PREVIEWS). */
    max?: number;
  };
}

/** A preview app Tower created for a pull request: only these are ever destroyed as previews. */
export interface PreviewEntry {
  /** The preview app's name. */
  app: string;
  /** The app whose `previews` it follows. */
  of: string;
  repo: string;
  number: number;
  /** The head ref Tower lists for it (`refs/pull/<n>/head`, GitLab `refs/merge-requests/<iid>/head`); absent in older events. */
  ref?: string;
  head: string;
  ttlHours: number;
}

export type ProjectEvent =
  | { type: "push.received"; data: { push: PushReceived } }
  | { type: "push.ignored"; data: { deliveryId: string; repo: string; ref: string; reason: string } }
  | { type: "push.routed"; data: { deliveryId: string; commit: string; config: boolean; apps: string[] } }
  | { type: "sync.requested"; data: { id: string; force: boolean; cause: string } }
  | { type: "config.fetched"; data: { commit: string; ref: string; cause: string } }
  | {
      type: "config.evaluated";
      data: {
        commit: string;
        cause: string;
        apps: AppEntry[];
        /** Apps whose own file failed: kept at their last good config. */
        kept: string[];
        errors: Omit<Diagnostic, "severity">[];
        warnings: number;
      };
    }
  | {
      type: "config.failed";
      data: {
        commit: string | null;
        cause: string;
        stage: "fetch" | "evaluate";
        errors: Omit<Diagnostic, "severity">[];
      };
    }
  | {
      type: "app.desired";
      data: { app: string; configHash: string; sourceCommit: string | null; cause: string; force: boolean };
    }
  | { type: "app.removed"; data: { app: string; prune: boolean; cause: string } }
  | { type: "pull.received"; data: { pull: PullRequestReceived } }
  | { type: "pull.ignored"; data: { deliveryId: string; repo: string; number: number; reason: string } }
  | { type: "pull.routed"; data: { deliveryId: string; repo: string; number: number; previews: string[] } }
  | { type: "preview.desired"; data: PreviewEntry & { cause: string } }
  | { type: "preview.closed"; data: { app: string; of: string; number: number; reason: string; cause: string } }
  /** Gone from a prunable evaluation: destroyed only if the next full successful one lacks it too. */
  | { type: "app.prune-pending"; data: { app: string; cause: string } }
  /** Image automation's changes: a pin committed, an override deployed, a pin it could not write. */
  | ImageEvent
  /** A git host or notify target refused config feedback (or the outbox gave up): once per target and cause. */
  | { type: "feedback.undelivered"; data: { lane: string; reason: string; attempts: number } };

export type ProjectEventType = ProjectEvent["type"];

/** An event as decided: the shell adds nothing but `seq` when it stores it. */
export type DecidedEvent = Decided<ProjectEvent>;

/** Current schema version per type (bump with an upcaster in project-upcasters when data changes). */
const EVENT_VERSION: Record<ProjectEventType, number> = {
  "push.received": 1,
  "push.ignored": 1,
  "push.routed": 1,
  "sync.requested": 1,
  "config.fetched": 1,
  "config.evaluated": 2,
  "config.failed": 1,
  "app.desired": 2,
  "app.removed": 1,
  "pull.received": 1,
  "pull.ignored": 1,
  "pull.routed": 1,
  "preview.desired": 1,
  "preview.closed": 1,
  "app.prune-pending": 1,
  "image.committed": 1,
  "image.overridden": 1,
  "image.conflict": 1,
  "feedback.undelivered": 1,
};

export const event = eventBuilder<ProjectEvent>(EVENT_VERSION);
