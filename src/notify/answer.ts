/**
 * What a host's answer means for the delivery: done, try again (and when), or refused for good.
 * Rate limits follow GitHub's rules (docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api):
 * `retry-after` first; else `x-ratelimit-remaining: 0` waits until `x-ratelimit-reset`; a
 * secondary limit without either waits at least a minute. Reasons quote the host's message and
 * the token's scopes, never the token.
 */
import type { SendOutcome } from "./outcome";

const SECONDARY_MIN_MS = 60_000;
/** Host messages are hostile input: keep them short and on one line. */
const MESSAGE_MAX = 200;

export interface Answer {
  status: number;
  headers: Headers;
  body: string;
}

export function judgeAnswer(answer: Answer, what: string, now: number): SendOutcome {
  const { status, headers } = answer;
  if (status >= 200 && status < 300) return { kind: "sent" };
  const message = hostMessage(answer.body);
  const reason = `${what}: ${status}${message ? ` ${message}` : ""}`;
  const limited = rateLimitWait(answer, now);
  if (limited !== null) return { kind: "retry", reason, afterMs: limited };
  if (status === 408 || status === 429 || status >= 500) return { kind: "retry", reason, ...after(headers, now) };
  return { kind: "refused", status, reason: reason + scopeHint(answer) };
}

/** A failure to reach the host at all (DNS, TLS, reset): always worth another try. */
export function unreachable(what: string, error: unknown): SendOutcome {
  const text = error instanceof Error ? error.message : String(error);
  return { kind: "retry", reason: `${what}: ${oneLine(text)}` };
}

function rateLimitWait(answer: Answer, now: number): number | null {
  const { status, headers } = answer;
  if (status !== 403 && status !== 429) return null;
  const retry = after(headers, now).afterMs;
  if (retry !== undefined) return retry;
  if (headers.get("x-ratelimit-remaining") === "0") {
    const reset = Number(headers.get("x-ratelimit-reset"));
    if (Number.isFinite(reset) && reset > 0) return Math.max(0, reset * 1000 - now);
  }
  if (/secondary rate limit|abuse detection/i.test(answer.body)) return SECONDARY_MIN_MS;
  return status === 429 ? SECONDARY_MIN_MS : null;
}

/** `Retry-After` in seconds or as an HTTP date (RFC 9110 §10.2.3). */
function after(headers: Headers, now: number): { afterMs?: number } {
  const value = headers.get("retry-after");
  if (value === null) return {};
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return { afterMs: seconds * 1000 };
  const date = Date.parse(value);
  return Number.isNaN(date) ? {} : { afterMs: Math.max(0, date - now) };
}

/** GitHub and Gitea answer `{"message": …}`; GitLab `{"message": …}` or `{"error": …}`. */
function hostMessage(body: string): string {
  let text = body;
  try {
    const parsed = JSON.parse(body) as { message?: unknown; error?: unknown };
    const message = parsed.message ?? parsed.error;
    text = typeof message === "string" ? message : JSON.stringify(message ?? "");
  } catch {
    // Not JSON: an HTML error page or plain text; its first line is what there is.
  }
  return oneLine(text);
}

/** GitHub tells which OAuth scopes a call needs and which the token has: say both. */
function scopeHint(answer: Answer): string {
  const needs = answer.headers.get("x-accepted-oauth-scopes");
  const has = answer.headers.get("x-oauth-scopes");
  if (needs === null || has === null || needs === "") return "";
  return ` (the token has scopes "${has}"; this call needs one of "${needs}")`;
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length <= MESSAGE_MAX ? line : `${line.slice(0, MESSAGE_MAX - 1)}…`;
}
