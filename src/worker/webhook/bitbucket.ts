/**
 * Bitbucket Cloud: `X-Event-Key`, HMAC-SHA256 in `X-Hub-Signature`, delivery id `X-Request-UUID`.
 * One `repo:push` can carry several ref changes; each becomes its own push, keyed
 * `<delivery id>#<index>`. (`X-Hook-UUID` names the webhook, not the delivery, so it is no key.)
 */
import { z } from "zod";
import { RequestError } from "../errors";
import type { Provider } from "./delivery";
import { commitHash, parsePayload, pushFields, ZERO_COMMIT } from "./push-fields";

/** Bitbucket batches up to 5 ref changes in one push event by default; far more is not a real push. */
const MAX_CHANGES = 50;

const refState = z
  .object({
    type: z.enum(["branch", "tag", "named_branch", "bookmark"]),
    name: z.string().min(1),
    target: z.object({ hash: commitHash }),
  })
  .nullable();

const pushPayload = z.object({
  // One push is at most this many ref changes: each becomes an inbox entry and a ref lookup.
  push: z.object({
    changes: z
      .array(z.object({ old: refState, new: refState }))
      .min(1)
      .max(MAX_CHANGES, `at most ${MAX_CHANGES} ref changes in one push`),
  }),
  repository: z.object({
    full_name: z.string().min(1),
    links: z.object({ html: z.object({ href: z.string().min(1) }) }).optional(),
  }),
});

export const bitbucket: Provider = {
  name: "bitbucket",
  identify(headers) {
    const event = headers.get("X-Event-Key");
    if (event === null) return null;
    return {
      provider: "bitbucket",
      event,
      deliveryId: headers.get("X-Request-UUID"),
      credential: { kind: "hmac", header: "X-Hub-Signature", value: headers.get("X-Hub-Signature") },
    };
  },
  interpret(event, payload) {
    if (event === "diagnostics:ping") return { kind: "ping" };
    if (event !== "repo:push")
      return { kind: "ignored", reason: `Bitbucket event "${event}" is not acted on (only repo:push)` };
    const push = parsePayload(pushPayload, payload, "Bitbucket push payload");
    const repoUrl = push.repository.links?.html.href ?? `https://bitbucket.org/${push.repository.full_name}`;
    const pushes = push.push.changes.map((change, i) => {
      const state = change.new ?? change.old;
      if (state === null) {
        throw new RequestError("invalid_payload", `Bitbucket push payload: push.changes.${i}: neither old nor new`);
      }
      const ref = state.type === "tag" ? `refs/tags/${state.name}` : `refs/heads/${state.name}`;
      const before = change.old?.target.hash ?? ZERO_COMMIT;
      const after = change.new?.target.hash ?? ZERO_COMMIT;
      return pushFields("Bitbucket push payload", "repository.links.html.href", { repoUrl, ref, before, after });
    });
    return { kind: "push", pushes };
  },
};
