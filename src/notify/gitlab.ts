/**
 * GitLab commit statuses: `POST /projects/:id/statuses/:sha` with the project's path as its id
 * (URL-encoded whole, subgroups included). GitLab's states are pipeline job states.
 */
import type { CommitState } from "./delivery";
import type { HostRepo } from "./git-host";
import { type HttpCall, jsonCall, segment } from "./http-call";

const STATE: Record<CommitState, string> = {
  pending: "running",
  success: "success",
  failure: "failed",
  error: "failed",
};

export function gitlabStatus(
  to: HostRepo,
  sha: string,
  status: { state: CommitState; context: string; description: string; targetUrl?: string },
): HttpCall {
  const { state, context, description, targetUrl } = status;
  return jsonCall("POST", `${to.api}/projects/${segment(to.path)}/statuses/${segment(sha)}`, {
    state: STATE[state],
    name: context,
    description,
    ...(targetUrl ? { target_url: targetUrl } : {}),
  });
}

/**
 * GitLab answers 400 "Cannot transition status via :run from :running" when the commit already has
 * that state for that name: the status Tower wanted is there, so the delivery is done.
 */
export function gitlabAlreadySet(status: number, body: string): boolean {
  return status === 400 && /cannot transition status/i.test(body);
}
