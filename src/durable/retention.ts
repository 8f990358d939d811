/**
 * Retention of an event-sourced log (issue 16), shared by both Durable Objects: events older than
 * the window (RETENTION_DAYS, default 90) that a snapshot covers are dropped, oldest first, a
 * bounded slice per alarm. See docs/architecture.md ("Retention").
 */
import type { EventSourced } from "./event-sourced";

export const DEFAULT_RETENTION_DAYS = 90;
/** Rows one alarm drops at most: a few milliseconds of deletes, well inside one invocation. */
export const COMPACT_SLICE = 2_000;
/**
 * Events a log keeps at most, however recent: a flood (a leaked webhook secret replaying with new
 * delivery ids) must not grow storage for the whole window. About 0.3–0.5 GB of a Durable Object's
 * 10 GB; no real project or app comes near it (a busy app: 10,000 deploys ≈ 110,000 events).
 */
export const MAX_KEPT_EVENTS = 1_000_000;

const DAY_MS = 86_400_000;

/** RETENTION_DAYS as a window in ms; the default when unset or not a positive number. */
export function retentionMs(setting: string | undefined): number {
  const days = Number(setting);
  return (setting && Number.isFinite(days) && days > 0 ? days : DEFAULT_RETENTION_DAYS) * DAY_MS;
}

export interface RetentionClock {
  now: number;
  windowMs: number;
  /** Rows one call may drop; COMPACT_SLICE when absent. */
  limit?: number;
  /** Events a log keeps at most; MAX_KEPT_EVENTS when absent. */
  maxEvents?: number;
}

/** The oldest time still inside the window, as the ISO 8601 the logs store. */
export function retentionCutoff(clock: RetentionClock): string {
  return new Date(clock.now - clock.windowMs).toISOString();
}

/**
 * One slice of one log's retention: drops what its snapshot covers and the window has left behind,
 * and past `maxEvents` kept the oldest whatever their age. Answers how many events went; `limit`
 * of them means more may be due.
 */
// biome-ignore lint/suspicious/noExplicitAny: any command, event and state: only the stream and snapshot matter here.
export function compactLog(log: EventSourced<any, any, any>, clock: RetentionClock): number {
  const { store, stream, snapshotVersion } = log;
  const limit = clock.limit ?? COMPACT_SLICE;
  const max = clock.maxEvents ?? MAX_KEPT_EVENTS;
  const aged = store.compact(stream, snapshotVersion, retentionCutoff(clock), limit);
  const version = store.version(stream);
  if (aged === limit || version - store.first(stream) + 1 <= max) return aged;
  // Every age is due ("~" sorts after any ISO 8601 time), up to what the snapshot covers.
  return aged + store.compact(stream, Math.min(snapshotVersion, version - max), "~", limit - aged);
}
