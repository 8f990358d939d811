/** The ProjectDO's projection of its log: what config says, and what is still to be done. */
import type { Diagnostic } from "../../config/resolved-app";
import type { PullRequestReceived, PushReceived } from "../contract";
import type { AppEntry, PreviewEntry } from "./events";

export type KnownApp = AppEntry;

export type LivePreview = PreviewEntry & { at: string; cause: string };

export interface ProjectState {
  /** The last seq folded in. */
  version: number;
  config: {
    /** The config commit last fetched (whether or not it evaluated). */
    commit: string | null;
    lastEvaluation: { at: string; commit: string; ok: boolean; apps: number } | null;
    errors: Omit<Diagnostic, "severity">[];
  };
  /** Every app the last good evaluation knows, by name. */
  apps: Record<string, KnownApp>;
  /** Pushes recorded and not yet routed, by delivery id, oldest first. */
  inbox: PushReceived[];
  /** Pull request events recorded and not yet routed, oldest first. */
  pulls: PullRequestReceived[];
  /** Live previews by preview app name, with the time and cause of their last deploy (`ttl`, notices). */
  previews: Record<string, LivePreview>;
  /** The last `config.failed` since config last fetched or evaluated: a repeat of it is not logged again. */
  lastFailure: { stage: "fetch" | "evaluate"; messages: string[] } | null;
  /**
   * Apps a prunable evaluation no longer had, by name → the cause that noticed: a rename or a
   * half-pushed tree must not delete on the first tick, so prune waits for a second evaluation.
   */
  prunePending: Record<string, string>;
  /** A config re-read someone asked for and nobody has done yet. */
  wanted: { cause: string; force: boolean } | null;
  /**
   * Apps that left the config without being pruned (still on Fly, still Tower's), by name → the
   * cause that removed them: a preview may not take one of these names. Absent in snapshots
   * written before it existed.
   */
  retired?: Record<string, string>;
}

export function initialState(): ProjectState {
  return {
    version: 0,
    config: { commit: null, lastEvaluation: null, errors: [] },
    apps: {},
    inbox: [],
    pulls: [],
    previews: {},
    lastFailure: null,
    prunePending: {},
    wanted: null,
    retired: {},
  };
}
