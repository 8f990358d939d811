/**
 * The outbox drained for real, from a DO: tokens from GIT_CREDENTIALS (the same per-host
 * credentials git uses), URLs and keys from Worker secrets, `FEEDBACK_MODE=log` printing instead
 * of sending. Shared by the ProjectDO and the AppDO.
 */
import { type GitCredentials, noCredentials, parseGitCredentials } from "../../git";
import { drainOutbox } from "./drain";
import { logFetch } from "./log-fetch";
import type { FeedbackOutbox } from "./outbox-table";
import { DEFAULT_FIRST_RETRY_MS, type Undelivered } from "./retry";

/** Longest one call to a host may take: a hanging host must not hold the alarm. */
const CALL_TIMEOUT_MS = 10_000;

export async function drainLive(
  outbox: FeedbackOutbox,
  env: Record<string, unknown>,
): Promise<{ undelivered: Undelivered[]; delayMs: number | null }> {
  const logOnly = logMode(env);
  const credentials = credentialsOf(env);
  const result = await drainOutbox(
    outbox,
    {
      fetch: logOnly ? logFetch : (request) => fetch(request, { signal: AbortSignal.timeout(CALL_TIMEOUT_MS) }),
      // Log mode shows the calls a real host would get, with no token to send.
      authorization: (host) => (logOnly ? "Bearer (log only)" : credentials.apiAuthorization(host)),
      secret: (name) => (typeof env[name] === "string" ? (env[name] as string) : undefined),
      now: Date.now,
    },
    { firstRetryMs: Number(env.FEEDBACK_RETRY_MS) || DEFAULT_FIRST_RETRY_MS },
  );
  return {
    undelivered: result.undelivered,
    delayMs: result.nextAt === null ? null : Math.max(0, result.nextAt - Date.now()),
  };
}

export function logMode(env: Record<string, unknown>): boolean {
  return env.FEEDBACK_MODE === "log";
}

/** Tower's public base URL for links, or null. */
export function publicUrl(env: Record<string, unknown>): string | null {
  return typeof env.PUBLIC_URL === "string" && env.PUBLIC_URL !== "" ? env.PUBLIC_URL : null;
}

function credentialsOf(env: Record<string, unknown>): GitCredentials {
  try {
    return parseGitCredentials(env.GIT_CREDENTIALS as string | undefined);
  } catch {
    // A malformed GIT_CREDENTIALS fails git fetches loudly already; here it means no tokens.
    return noCredentials;
  }
}
