/** The API a commit's repo is reported to, from its URL and the root project's `git_hosts`. */

import { parseRepoUrl } from "../../base/repo-url";
import type { GitHostConfig } from "../../config/schema/notify-schema";
import { type HostRepo, hostRepo } from "../../notify/git-host";

export function originHost(url: string, gitHosts: Record<string, GitHostConfig>, logOnly: boolean): HostRepo | null {
  const parsed = parseRepoUrl(url);
  if (!parsed.ok) return null;
  // Credentials and `git_hosts` are keyed by host with its http(s) port: the parse's `origin`.
  const repo = { host: parsed.repo.origin, path: parsed.repo.path };
  const known = hostRepo(repo, gitHosts);
  if (known || !logOnly) return known;
  // `npm start`: the local git server has no API; show what a GitHub host would be sent.
  // Its repos have one-segment paths; GitHub's calls need an owner, so one is made up.
  const path = repo.path.includes("/") ? repo.path : `local/${repo.path}`;
  return { type: "github", host: repo.host, api: `log://${repo.host}`, path };
}
