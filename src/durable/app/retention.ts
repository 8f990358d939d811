/**
 * Retention of an AppDO's log (issue 16): events older than the window (RETENTION_DAYS, default
 * 90) that a snapshot covers are dropped, oldest first, and deploys that finished before it lose
 * their step lists; a bounded slice of each per alarm. What stays readable: every deploy's row in
 * the deploy history table (summary, plan summary, failure; kept forever), the folded state, and the
 * log's events inside the window. See docs/architecture.md ("Retention").
 */
import type { AppLog } from "./app-log";

export const DEFAULT_RETENTION_DAYS = 90;
/** Events one alarm drops at most: a few milliseconds of deletes, well inside one invocation. */
export const COMPACT_SLICE = 2_000;

const DAY_MS = 86_400_000;

/** RETENTION_DAYS as a window in ms; the default when unset or not a positive number. */
export function retentionMs(setting: string | undefined): number {
  const days = Number(setting);
  return (setting && Number.isFinite(days) && days > 0 ? days : DEFAULT_RETENTION_DAYS) * DAY_MS;
}

/**
 * One slice of retention at time `now`: answers how many events went and whether more may be due
 * (the caller re-arms its alarm). Skipped while a deploy runs or waits: its slices come first, and
 * while one is open its events are the ones a crash would resume from (the snapshot alone also
 * would, but a deploy's own alarm should not pay for deletes).
 */
export function compactSlice(
  log: AppLog,
  options: { now: number; windowMs: number; limit?: number },
): { deleted: number; compacted: number; more: boolean } {
  const { running, queued } = log.state;
  if (running !== null || queued !== null) return { deleted: 0, compacted: 0, more: false };
  const limit = options.limit ?? COMPACT_SLICE;
  const before = new Date(options.now - options.windowMs).toISOString();
  const deleted = log.store.compact(log.stream, log.snapshotVersion, before, limit);
  const compacted = log.history.compactSteps(before, limit);
  return { deleted, compacted, more: deleted === limit || compacted === limit };
}
