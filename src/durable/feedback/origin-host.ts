/** The API a commit's repo is reported to, from its URL and the root project's `git_hosts`. */
import type { GitHostConfig } from "../../config/schema/notify-schema";
import { parseRepoUrl } from "../../git";
import { type HostRepo, hostRepo } from "../../notify/git-host";

export function originHost(url: string, gitHosts: Record<string, GitHostConfig>, logOnly: boolean): HostRepo | null {
  let repo: { host: string; path: string };
  try {
    repo = parseRepoUrl(url);
  } catch {
    return null;
  }
  const known = hostRepo(repo, gitHosts);
  if (known || !logOnly) return known;
  // `npm start`: the local git server has no API; show what a GitHub host would be sent.
  return { type: "github", host: repo.host, api: `log://${repo.host}`, path: repo.path };
}
