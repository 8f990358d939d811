/**
 * GitHub's REST API for commit statuses and Deployments
 * (docs.github.com/rest/commits/statuses, /rest/deployments/deployments, /rest/deployments/statuses).
 * GitHub Enterprise Server speaks the same at `https://<host>/api/v3`.
 */
import type { CommitState, DeploymentState } from "./delivery";
import type { HostRepo } from "./git-host";
import { type HttpCall, jsonCall, segment } from "./http-call";

function repoUrl(to: HostRepo): string {
  const [owner = "", ...name] = to.path.split("/");
  return `${to.api}/repos/${segment(owner)}/${segment(name.join("/"))}`;
}

export function githubStatus(
  to: HostRepo,
  sha: string,
  status: { state: CommitState; context: string; description: string; targetUrl?: string },
): HttpCall {
  const { state, context, description, targetUrl } = status;
  return jsonCall("POST", `${repoUrl(to)}/statuses/${segment(sha)}`, {
    state,
    context,
    description,
    ...(targetUrl ? { target_url: targetUrl } : {}),
  });
}

/**
 * A Deployment of `sha` to the environment named after the app. `auto_merge: false` (Tower deploys
 * the commit it names, never a merge of it) and `required_contexts: []` (Tower's own pending
 * status must not block the Deployment that reports on it). `payload.tower_deploy_id` lets a
 * retry find a Deployment whose creation answer was lost, instead of making a second one.
 */
export function githubCreateDeployment(
  to: HostRepo,
  deployment: { sha: string; environment: string; deployId: string; description: string },
): HttpCall {
  return jsonCall("POST", `${repoUrl(to)}/deployments`, {
    ref: deployment.sha,
    task: "deploy",
    environment: deployment.environment,
    description: deployment.description,
    auto_merge: false,
    required_contexts: [],
    payload: { tower_deploy_id: deployment.deployId },
    production_environment: true,
  });
}

export function githubFindDeployments(to: HostRepo, sha: string, environment: string): HttpCall {
  const query = new URLSearchParams({ sha, environment, task: "deploy", per_page: "100" });
  return jsonCall("GET", `${repoUrl(to)}/deployments?${query}`);
}

/** The id of the Deployment made for `deployId`, in a list answer of githubFindDeployments. */
export function deploymentFor(list: unknown, deployId: string): number | null {
  if (!Array.isArray(list)) return null;
  for (const item of list as { id?: unknown; payload?: { tower_deploy_id?: unknown } }[])
    if (item?.payload?.tower_deploy_id === deployId && typeof item.id === "number") return item.id;
  return null;
}

/**
 * `auto_inactive: false`: Tower marks the Deployment it replaces `inactive` itself, so the
 * Environments panel is right even when the two were created by different tokens.
 */
export function githubDeploymentStatus(
  to: HostRepo,
  deploymentId: number,
  status: { state: DeploymentState; description: string; logUrl?: string; environmentUrl?: string },
): HttpCall {
  const { state, description, logUrl, environmentUrl } = status;
  return jsonCall("POST", `${repoUrl(to)}/deployments/${deploymentId}/statuses`, {
    state,
    description,
    auto_inactive: false,
    ...(logUrl ? { log_url: logUrl } : {}),
    ...(environmentUrl ? { environment_url: environmentUrl } : {}),
  });
}
