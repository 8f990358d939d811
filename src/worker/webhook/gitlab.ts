/**
 * GitLab: `X-Gitlab-Event`, the shared secret itself in `X-Gitlab-Token` (no HMAC). The delivery
 * id is `Idempotency-Key` (stable across GitLab's retries), else `X-Gitlab-Event-UUID`, else a
 * SHA-256 of the body, so a redelivered body is still recognised. Merge request events
 * (gitlab-merge-request.ts) pass the same token check as pushes.
 */
import { z } from "zod";
import type { Provider } from "./delivery";
import { interpretMergeRequest } from "./gitlab-merge-request";
import { commitHash, parsePayload, pushFields, refName } from "./push-fields";

const pushPayload = z.object({
  object_kind: z.enum(["push", "tag_push"]),
  ref: refName,
  before: commitHash,
  after: commitHash,
  checkout_sha: commitHash.nullable().optional(),
  project: z.object({ git_http_url: z.string().min(1) }),
});

const objectKind = z.object({ object_kind: z.string() });

export const gitlab: Provider = {
  name: "gitlab",
  identify(headers) {
    const event = headers.get("X-Gitlab-Event");
    if (event === null) return null;
    return {
      provider: "gitlab",
      event,
      deliveryId: headers.get("Idempotency-Key") ?? headers.get("X-Gitlab-Event-UUID"),
      credential: { kind: "token", header: "X-Gitlab-Token", value: headers.get("X-Gitlab-Token") },
    };
  },
  interpret(event, payload) {
    const kind = parsePayload(objectKind, payload, "GitLab payload").object_kind;
    if (kind === "merge_request") return interpretMergeRequest(payload);
    if (kind !== "push" && kind !== "tag_push") {
      return {
        kind: "ignored",
        reason: `GitLab event "${event}" (${kind}) is not acted on (only push, tag_push and merge_request)`,
      };
    }
    const push = parsePayload(pushPayload, payload, "GitLab push payload");
    // A deleted ref has no checkout_sha; `after` is all zeros then.
    const deleted = push.checkout_sha == null && /^0+$/.test(push.after);
    const fields = { ...push, repoUrl: push.project.git_http_url, deleted };
    return { kind: "push", pushes: [pushFields("GitLab push payload", "project.git_http_url", fields)] };
  },
  async fallbackDeliveryId(_headers, body) {
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", body));
    return `sha256:${Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("")}`;
  },
};
