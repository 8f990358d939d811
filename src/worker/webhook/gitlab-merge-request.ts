/**
 * GitLab's merge request event (`object_kind: merge_request`, header `Merge Request Hook`). Only
 * what a preview needs is read; `last_commit.id` is a hint (Tower lists
 * `refs/merge-requests/<iid>/head` on the target project itself).
 */
import { z } from "zod";
import { normaliseRepoUrl } from "../../git/repo-url";
import { RequestError } from "../errors";
import type { Interpretation } from "./delivery";
import { commitHash, parsePayload } from "./push-fields";

const WHAT = "GitLab merge_request payload";

const mergeRequestPayload = z.object({
  object_kind: z.literal("merge_request"),
  // The target project: where the merge request is, and where GitLab keeps its head ref.
  project: z.object({ id: z.number().int(), git_http_url: z.string().min(1) }),
  object_attributes: z.object({
    iid: z.number().int().positive(),
    // Absent on hooks GitLab sends for some system changes: nothing to act on then.
    action: z.string().optional(),
    target_project_id: z.number().int(),
    // Null when the source project (a fork) was deleted.
    source_project_id: z.number().int().nullable(),
    last_commit: z.object({ id: commitHash }).nullable().optional(),
  }),
});

// `update` is also sent for title or label edits; routing then finds the preview at its head already.
const OPEN = new Set(["open", "reopen", "update"]);
const CLOSE = new Set(["close", "merge"]);

export function interpretMergeRequest(payload: unknown): Interpretation {
  const mr = parsePayload(mergeRequestPayload, payload, WHAT);
  const attrs = mr.object_attributes;
  const action = attrs.action ?? "";
  const meaning = OPEN.has(action) ? "open" : CLOSE.has(action) ? "close" : null;
  if (meaning === null)
    return { kind: "ignored", reason: `GitLab merge_request action "${action}" does not change a preview` };
  let repo: string;
  try {
    repo = normaliseRepoUrl(mr.project.git_http_url);
  } catch {
    const field = "project.git_http_url";
    throw new RequestError("invalid_payload", `${WHAT}: ${field}: not a git repository URL`, { field });
  }
  // A merge request from another project is a fork's, whatever the project is called.
  const fork = attrs.source_project_id !== attrs.target_project_id;
  // Without a last commit (GitLab omits it on some updates) the hint is empty; it is never used for work.
  const headHint = attrs.last_commit?.id ?? "";
  return { kind: "pull-request", pull: { repo, number: attrs.iid, action: meaning, fork, headHint } };
}
