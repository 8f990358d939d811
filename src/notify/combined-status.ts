/**
 * Reading a commit's combined CI state from its host, for the waves' CI gate:
 * GitHub `GET /repos/{owner}/{repo}/commits/{ref}/status` (docs.github.com/rest/commits/statuses,
 * "Get the combined status for a specific reference": `state` is failure if any context failed or
 * errored, pending if any is pending or none exist, else success); Gitea/Forgejo the same path
 * under /api/v1 (`CombinedStatus.state`); GitLab `GET /projects/:id/repository/commits/:sha`,
 * whose `status` is the last pipeline's.
 */
import type { HostRepo } from "./git-host";
import { type HttpCall, jsonCall, segment } from "./http-call";

export type CiState = "success" | "pending" | "failure" | "error";

export function combinedStatusCall(to: HostRepo, sha: string): HttpCall {
  if (to.type === "gitlab")
    return jsonCall("GET", `${to.api}/projects/${segment(to.path)}/repository/commits/${segment(sha)}`);
  const [owner = "", ...name] = to.path.split("/");
  return jsonCall("GET", `${to.api}/repos/${segment(owner)}/${segment(name.join("/"))}/commits/${segment(sha)}/status`);
}

const GITLAB: Record<string, CiState> = {
  success: "success",
  failed: "failure",
  canceled: "error",
  skipped: "success",
};

/** The state an answer body says; anything unreadable is pending (ask again later). */
export function combinedState(to: HostRepo, body: unknown): CiState {
  const value = body as { state?: unknown; status?: unknown } | null;
  if (to.type === "gitlab") return GITLAB[String(value?.status)] ?? "pending";
  const state = String(value?.state);
  return state === "success" || state === "failure" || state === "error" ? state : "pending";
}
