/** The GitHub push payload, which Gitea and Forgejo send too. */
import { z } from "zod";
import type { Interpretation } from "./delivery";
import { interpretPullRequest } from "./github-pull";
import { commitHash, parsePayload, pushFields, refName } from "./push-fields";

const pushPayload = z.object({
  ref: refName,
  before: commitHash,
  after: commitHash,
  deleted: z.boolean().optional(),
  repository: z
    .object({ clone_url: z.string().min(1).optional(), html_url: z.string().min(1).optional() })
    .refine((repo) => repo.clone_url ?? repo.html_url, "expected clone_url or html_url"),
});

export function interpretGithubStyle(host: string, event: string, payload: unknown): Interpretation {
  if (event === "ping") return { kind: "ping" };
  if (event === "pull_request") return interpretPullRequest(host, payload);
  if (event !== "push")
    return { kind: "ignored", reason: `${host} event "${event}" is not acted on (only push and pull_request)` };
  const push = parsePayload(pushPayload, payload, `${host} push payload`);
  const repoUrl = (push.repository.clone_url ?? push.repository.html_url)!;
  return { kind: "push", pushes: [pushFields(`${host} push payload`, "repository.clone_url", { ...push, repoUrl })] };
}
