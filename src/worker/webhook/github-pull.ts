/**
 * GitHub's `pull_request` event (Gitea and Forgejo send the same shape). Only what a preview needs
 * is read; the head commit is a hint (Tower lists `refs/pull/<n>/head` itself).
 */
import { z } from "zod";
import { normaliseRepoUrl } from "../../git/repo-url";
import { RequestError } from "../errors";
import type { Interpretation } from "./delivery";
import { commitHash, parsePayload } from "./push-fields";

const repoRef = z.object({
  full_name: z.string().min(1),
  clone_url: z.string().min(1).optional(),
  html_url: z.string().min(1).optional(),
});

const pullPayload = z.object({
  action: z.string(),
  number: z.number().int().positive(),
  pull_request: z.object({
    head: z.object({ sha: commitHash, repo: repoRef.nullable() }),
    base: z.object({ repo: repoRef }),
  }),
});

// Gitea and Forgejo say "synchronized" where GitHub says "synchronize".
const OPEN = new Set(["opened", "reopened", "synchronize", "synchronized"]);

export function interpretPullRequest(host: string, payload: unknown): Interpretation {
  const what = `${host} pull_request payload`;
  const pull = parsePayload(pullPayload, payload, what);
  const action = OPEN.has(pull.action) ? "open" : pull.action === "closed" ? "close" : null;
  if (action === null)
    return { kind: "ignored", reason: `${host} pull_request action "${pull.action}" does not change a preview` };
  const base = pull.pull_request.base.repo;
  const url = base.clone_url ?? base.html_url;
  let repo: string;
  try {
    repo = normaliseRepoUrl(url ?? "");
  } catch {
    const field = "pull_request.base.repo.clone_url";
    throw new RequestError("invalid_payload", `${what}: ${field}: not a git repository URL`, { field });
  }
  // A deleted fork leaves `head.repo` null: still a fork.
  const head = pull.pull_request.head.repo;
  const fork = head === null || head.full_name.toLowerCase() !== base.full_name.toLowerCase();
  return {
    kind: "pull-request",
    pull: { repo, number: pull.number, action, fork, headHint: pull.pull_request.head.sha },
  };
}
