/**
 * The ProjectDO's state rows beside its log, named and typed in one place. The log says what
 * happened; these rows hold what must not be in it (resolved apps with secret references, the
 * settings) or what changes without being news (the outbox cursor, a repeated failure).
 */
import type { Diagnostic, Feedback, ResolvedApp } from "../../config/resolved-app";
import type { SummaryReport } from "../contract";
import type { EventStore } from "../event-store";
import type { ImageScanState } from "../images/scan-state";
import { fromStoredApp } from "../stored-resolved-app";
import type { RefListings } from "./decide";
import type { ProjectSettings } from "./ports";

type Rows = Pick<EventStore, "getState" | "putState">;

export interface ConfigFailureRow {
  at: string;
  stage: "fetch" | "evaluate";
  commit: string | null;
  cause: string;
  errors: Omit<Diagnostic, "severity">[];
}

interface RowTypes {
  /** HMAC key of this DO's secrets digests: made once, never leaves the DO (secrets-digest.ts). */
  "secrets-key": string;
  /** What `configure()` set over the env's CONFIG_REPO/REF/PATH and FLY_ORG. */
  settings: Partial<ProjectSettings>;
  /** The latest repeat of the logged config failure (when, which cause): the log does not grow. */
  "config-failure": ConfigFailureRow;
  /** The outbox cursor: the last log position every app was told about. */
  outbox: number;
  /**
   * An evaluation whose ref listings do not fit one invocation: the commit, the cause it keeps
   * across alarms, and the repos listed (or tried) so far. Null when none is under way.
   */
  resolve: { commit: string; cause: string; tried: string[]; refs: RefListings } | null;
  /** Failed deliveries in a row since the last clean pass (null after one). */
  "outbox-retry": { attempts: number } | null;
  /** Image automation: the scan round under way, each image's last listing, each app's choice. */
  images: ImageScanState;
  /** The root project's `notify:` and `git_hosts` from the last evaluation that could read them. */
  "config-feedback": Feedback;
  /**
   * A cron tick whose ref listings do not fit one invocation's subrequest budget: the repos still
   * to list and what was listed so far. The next alarm goes on from here; null when none runs.
   */
  tick: TickProgress | null;
  /** How the last finished tick went: for operators (`GET /api/config`) and the scale bench. */
  "last-tick": TickReport;
  /** The most subrequests any one sync pass (one invocation) of this DO made: held against the budget. */
  "max-pass-subrequests": number;
  /** The last repo whose preview heads the cron listed: the next tick's catch-up goes on after it. */
  "previews-checked": string;
  /** Self-healing apps still to be asked for a drift check this tick (null when none are left). */
  drift: string[] | null;
}

export interface TickProgress {
  cause: string;
  at: string;
  /** Repo keys still to list, in order. */
  pending: string[];
  refs: RefListings;
  slices: number;
  /** Subrequests of the busiest slice so far. */
  maxSubrequests: number;
}

export interface TickReport {
  at: string;
  finishedAt: string;
  repos: number;
  /** Invocations (the cron's RPC and the alarms after it) the tick's listings were spread over. */
  slices: number;
  /** The most subrequests (ref listings, config fetches, AppDO calls) any one of them made. */
  maxSubrequests: number;
}

export type ProjectRow = keyof RowTypes;

export function readRow<K extends ProjectRow>(rows: Pick<Rows, "getState">, name: K): RowTypes[K] | null {
  return rows.getState<RowTypes[K]>(name);
}

export function writeRow<K extends ProjectRow>(rows: Pick<Rows, "putState">, name: K, value: RowTypes[K]): void {
  rows.putState(name, value);
}

/**
 * The app as config resolved it, per app: the ProjectDO's copy, which it sends with each notice
 * (the AppDO keeps its own; see docs/architecture.md).
 */
export function readResolved(rows: Pick<Rows, "getState">, app: string): ResolvedApp | null {
  return fromStoredApp(rows.getState<ResolvedApp>(`app/${app}`));
}

export function writeResolved(rows: Pick<Rows, "putState">, app: ResolvedApp): void {
  rows.putState(`app/${app.name}`, app);
}

/** A preview's AppDO was told to deploy `head` (notice `key`) at `at`: what the in-flight cap counts. */
export interface PreviewTold {
  head: string;
  key: string;
  at: string;
}

export function readPreviewTold(rows: Pick<Rows, "getState">, app: string): PreviewTold | null {
  return rows.getState<PreviewTold>(`preview-told/${app}`);
}

/** null forgets it (the preview was destroyed). */
export function writePreviewTold(rows: Pick<Rows, "putState">, app: string, told: PreviewTold | null): void {
  rows.putState(`preview-told/${app}`, told);
}

/** This DO's secrets-digest key, made and stored on first use (its `secrets-key` row). */
export { secretsKey } from "../secrets-key";

/**
 * The app's summary as its AppDO last reported it (`reportSummary`): the projection the list and
 * per-app reads answer from without asking every AppDO. A report older than the kept one (lower
 * `version`, the AppDO's log version) is dropped, so reports arriving out of order are harmless.
 */
export function readSummary(rows: Pick<Rows, "getState">, app: string): SummaryReport | null {
  return rows.getState<SummaryReport>(`summary/${app}`);
}

export function writeSummary(rows: Pick<Rows, "getState" | "putState">, report: SummaryReport): boolean {
  const kept = readSummary(rows, report.summary.name);
  if (kept && kept.version >= report.version) return false;
  rows.putState(`summary/${report.summary.name}`, report);
  return true;
}
