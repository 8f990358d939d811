/**
 * Gitea and Forgejo commit statuses: `POST /repos/{owner}/{repo}/statuses/{sha}` under the API
 * base (`https://<host>/api/v1`). Gitea's states include Tower's four as they are.
 */
import type { CommitState } from "./delivery";
import type { HostRepo } from "./git-host";
import { type HttpCall, jsonCall, segment } from "./http-call";

export function giteaStatus(
  to: HostRepo,
  sha: string,
  status: { state: CommitState; context: string; description: string; targetUrl?: string },
): HttpCall {
  const [owner = "", ...name] = to.path.split("/");
  const url = `${to.api}/repos/${segment(owner)}/${segment(name.join("/"))}/statuses/${segment(sha)}`;
  const { state, context, description, targetUrl } = status;
  return jsonCall("POST", url, { state, context, description, ...(targetUrl ? { target_url: targetUrl } : {}) });
}
