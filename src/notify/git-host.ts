/**
 * Which API a repo's commits are reported to: github.com and gitlab.com (and Codeberg, a Forgejo)
 * by name, any other host only when the root project.yaml's `git_hosts` says what it speaks.
 */
import type { GitHostConfig, GitHostType } from "../config/schema/notify-schema";

/** A repo on a host whose API Tower knows: everything a status call needs except the token. */
export interface HostRepo {
  type: GitHostType;
  /** As credentials are keyed: lower case, with a non-default port. */
  host: string;
  /** API base URL without a trailing slash. */
  api: string;
  /** `owner/name`, or GitLab's `group/sub/name`. */
  path: string;
}

const KNOWN: Record<string, GitHostConfig> = {
  "github.com": { type: "github", api: "https://api.github.com" },
  "gitlab.com": { type: "gitlab", api: "https://gitlab.com/api/v4" },
  "codeberg.org": { type: "gitea", api: "https://codeberg.org/api/v1" },
};

/** Null for hosts Tower cannot report to (Bitbucket, unknown self-hosted ones). */
export function hostRepo(
  repo: { host: string; path: string },
  gitHosts: Record<string, GitHostConfig> = {},
): HostRepo | null {
  const config = gitHosts[repo.host] ?? KNOWN[repo.host];
  if (!config || repo.path === "") return null;
  // GitHub and Gitea name repos `owner/name`; only GitLab has single-segment project paths.
  if (config.type !== "gitlab" && !repo.path.includes("/")) return null;
  return { type: config.type, host: repo.host, api: config.api.replace(/\/+$/, ""), path: repo.path };
}

/** How a lane of deliveries to one repo is named in the outbox and the event log. */
export function repoLabel(repo: Pick<HostRepo, "host" | "path">): string {
  return `${repo.host}/${repo.path}`;
}
