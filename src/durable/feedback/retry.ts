/**
 * What the outbox does after a send: pure, so the rules are tested without a host. Transient
 * failures back off (10 s, 30 s, 90 s, … at most 30 minutes, never sooner than the host asked)
 * and give up after MAX_ATTEMPTS; a refusal is final at once. Either way the failure is reported
 * with a key per target and cause, so the event log records a host that keeps refusing once.
 */
import type { SendOutcome } from "../../notify/outcome";

export const MAX_ATTEMPTS = 8;
const MAX_DELAY_MS = 30 * 60_000;
export const DEFAULT_FIRST_RETRY_MS = 10_000;

export type RowState = "waiting" | "sent" | "skipped" | "refused" | "dropped";

export interface Undelivered {
  /** Idempotency key of the event that records it: one per lane and cause. */
  key: string;
  lane: string;
  reason: string;
  attempts: number;
}

export interface AfterSend {
  state: RowState;
  attempts: number;
  /** When to try again (ms since epoch) for a waiting row. */
  dueAt?: number;
  result?: number;
  error?: string;
  report?: Undelivered;
}

/** `attempts` counts tries before this one. */
export function afterSend(
  row: { lane: string; attempts: number },
  outcome: SendOutcome,
  now: number,
  firstRetryMs = DEFAULT_FIRST_RETRY_MS,
): AfterSend {
  const attempts = row.attempts + 1;
  switch (outcome.kind) {
    case "sent":
      return { state: "sent", attempts, ...(outcome.result !== undefined ? { result: outcome.result } : {}) };
    case "skipped":
      return { state: "skipped", attempts, error: outcome.reason };
    case "refused": {
      const report = {
        key: `feedback.undelivered:${row.lane}:${outcome.status}`,
        lane: row.lane,
        reason: outcome.reason,
        attempts,
      };
      return { state: "refused", attempts, error: outcome.reason, report };
    }
    case "retry": {
      if (attempts >= MAX_ATTEMPTS) {
        const reason = `gave up after ${attempts} attempts: ${outcome.reason}`;
        return {
          state: "dropped",
          attempts,
          error: reason,
          report: { key: `feedback.undelivered:${row.lane}:gave-up`, lane: row.lane, reason, attempts },
        };
      }
      const backoff = Math.min(MAX_DELAY_MS, firstRetryMs * 3 ** (attempts - 1));
      return {
        state: "waiting",
        attempts,
        dueAt: now + Math.max(backoff, outcome.afterMs ?? 0),
        error: outcome.reason,
      };
    }
    default: {
      const unhandled: never = outcome;
      throw new Error(`unhandled outcome ${(unhandled as SendOutcome).kind}`);
    }
  }
}
