/**
 * Repo URLs for git: the key a repo is known by and the HTTPS URL to fetch it from, both from the
 * one parse in src/base/repo-url.ts (so a key always means the repo that is fetched); these add
 * the GitError a bad URL is reported with. Workers cannot speak git over SSH, so SSH spellings
 * are fetched over HTTPS from the same host.
 */
import { parseRepoUrl, type RepoUrl } from "../base/repo-url";
import { GitError } from "../errors";

/** The parsed URL; throws `invalid_url` (without echoing the URL, which may hold a token). */
export function readRepoUrl(url: string): RepoUrl {
  const parsed = parseRepoUrl(url);
  if (!parsed.ok) throw new GitError("invalid_url", `not a git repository URL: ${parsed.reason}`, {});
  return parsed.repo;
}

/** `host/owner/name`: the one key a repo is known by (webhooks, config `source`, watches). */
export function normaliseRepoUrl(url: string): string {
  return readRepoUrl(url).key;
}

/** The URL to fetch over smart HTTP: SSH spellings become HTTPS. */
export function httpsCloneUrl(url: string): string {
  return readRepoUrl(url).fetchUrl;
}

/** A URL safe for messages: the key, never user info or tokens. */
export function describeRepo(url: string): string {
  const parsed = parseRepoUrl(url);
  return parsed.ok ? parsed.repo.key : "<unparseable repo url>";
}
