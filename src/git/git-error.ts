/**
 * Every failure talking to a git remote becomes a GitError whose `code` says what to do about
 * it: a missing repo or ref is the user's to fix, a refused token is an operator's, network and
 * timeout are worth a retry, too_large needs a bigger limit or a smaller repo. Messages name the
 * repo by its key (never a URL with credentials) and, for limits, the limit.
 */
import { GitError } from "../errors";

export type GitErrorCode =
  | "not_found"
  | "auth_refused"
  | "ref_missing"
  | "network"
  | "timeout"
  | "too_large"
  | "invalid_url"
  | "invalid_credentials"
  | "protocol"
  /** Credentials would travel in clear text. */
  | "insecure"
  /** The server refused a push (a hook, a protected branch): not a race, retrying will not help. */
  | "push_rejected"
  /** Every push attempt lost the race against other writers. */
  | "push_race";

export function gitError(
  code: GitErrorCode,
  repo: string,
  message: string,
  data: Record<string, unknown> = {},
  cause?: unknown,
): GitError {
  return new GitError(code, `${repo}: ${message}`, { repo, ...data }, cause === undefined ? undefined : { cause });
}

/** The error for an HTTP answer that is not a success. */
export function httpStatusError(repo: string, status: number): GitError {
  if (status === 401)
    return gitError("auth_refused", repo, "the server refused the credentials (HTTP 401)", { status });
  if (status === 403) return gitError("auth_refused", repo, "the server refused access (HTTP 403)", { status });
  if (status === 404) return gitError("not_found", repo, "repository not found (HTTP 404)", { status });
  return gitError("network", repo, `the server answered HTTP ${status}`, { status });
}

/** Maps what isomorphic-git or fetch threw to a GitError; a GitError passes through. */
export function toGitError(err: unknown, repo: string): GitError {
  if (err instanceof GitError) return err;
  const e = err as { code?: unknown; data?: { statusCode?: unknown; what?: unknown }; message?: unknown };
  if (e?.code === "HttpError" && typeof e.data?.statusCode === "number")
    return httpStatusError(repo, e.data.statusCode);
  if (e?.code === "NotFoundError") {
    return gitError("ref_missing", repo, `ref or object not found: ${String(e.data?.what ?? "")}`);
  }
  if (e?.code === "SmartHttpError" || e?.code === "ParseError" || e?.code === "RemoteCapabilityError") {
    return gitError("protocol", repo, `unexpected answer from the git server (${String(e.code)})`, {}, err);
  }
  // fetch() failures (refused connection, reset, DNS) arrive as TypeError or similar.
  const detail = err instanceof Error ? err.message : String(err);
  return gitError("network", repo, `could not talk to the git server: ${redact(detail)}`, {}, err);
}

/** Drops user info from any URL inside a message. */
export function redact(text: string): string {
  return text.replace(/(\/\/)[^@/\s]*@/g, "$1");
}
