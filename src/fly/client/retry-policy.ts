/** Which failures are worth another attempt, and how long to wait before it. */
export interface RetryPolicy {
  /** Total attempts, the first included. */
  attempts: number;
  baseMs: number;
  maxMs: number;
  /**
   * Longest wait slept inside one call. A longer one (a server's Retry-After) ends the call with
   * the error instead, so a caller with durable timers (the AppDO's alarm) waits between slices.
   */
  maxSleepMs: number;
}

export const defaultRetry: RetryPolicy = {
  attempts: 5,
  baseMs: 250,
  maxMs: 8000,
  maxSleepMs: Number.POSITIVE_INFINITY,
};

/** 429, 408 and 5xx are transient; a network error (status 0) too. */
export function isTransientStatus(status: number): boolean {
  return status === 0 || status === 408 || status === 429 || status >= 500;
}

/** Exponential backoff with full jitter; a server's `Retry-After` wins when it asks for longer. */
export function backoffMs(
  policy: Pick<RetryPolicy, "baseMs" | "maxMs">,
  attempt: number,
  random: () => number,
  retryAfter?: string | null,
): number {
  const exp = Math.min(policy.maxMs, policy.baseMs * 2 ** attempt);
  const jittered = Math.round(exp / 2 + (random() * exp) / 2);
  const asked = parseRetryAfter(retryAfter);
  return asked === null ? jittered : Math.max(asked, Math.min(jittered, asked + 250));
}

/** `Retry-After` as seconds or an HTTP date, in ms; null when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | null {
  if (!value) return null;
  const secs = Number(value);
  if (Number.isFinite(secs)) return Math.max(0, secs * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}
