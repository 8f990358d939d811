/**
 * Retention of an AppDO's log (issue 16): the log's own slice (../retention.ts), and deploys that
 * finished before the window lose their step lists. What stays readable: every deploy's row in the
 * deploy history table (summary, plan summary, failure; kept forever), the folded state, and the
 * log's events inside the window. See docs/architecture.md ("Retention").
 */
import { COMPACT_SLICE, compactLog, type RetentionClock, retentionCutoff } from "../retention";
import type { AppLog } from "./app-log";

/**
 * One slice of retention at time `now`: answers how many events went and whether more may be due
 * (the caller re-arms its alarm). Skipped while a deploy runs or waits: its slices come first, and
 * while one is open its events are the ones a crash would resume from (the snapshot alone also
 * would, but a deploy's own alarm should not pay for deletes).
 */
export function compactSlice(
  log: AppLog,
  clock: RetentionClock,
): { deleted: number; compacted: number; more: boolean } {
  const { running, queued } = log.state;
  if (running !== null || queued !== null) return { deleted: 0, compacted: 0, more: false };
  const limit = clock.limit ?? COMPACT_SLICE;
  const deleted = compactLog(log, { ...clock, limit });
  const compacted = log.history.compactSteps(retentionCutoff(clock), limit);
  return { deleted, compacted, more: deleted === limit || compacted === limit };
}
