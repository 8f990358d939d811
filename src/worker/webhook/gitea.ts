/**
 * Gitea and Forgejo: GitHub's payload, their own headers (`X-Gitea-*`, `X-Forgejo-*`) beside the
 * GitHub ones they also send. Their signature header holds the bare hex HMAC-SHA256.
 */
import type { Provider } from "./delivery";
import { interpretGithubStyle } from "./github-style";

function first(headers: Headers, names: string[]): { name: string; value: string } | null {
  for (const name of names) {
    const value = headers.get(name);
    if (value !== null) return { name, value };
  }
  return null;
}

export const gitea: Provider = {
  name: "gitea",
  identify(headers) {
    const own = first(headers, ["X-Forgejo-Event", "X-Gitea-Event", "X-Forgejo-Signature", "X-Gitea-Signature"]);
    if (own === null) return null;
    const event = first(headers, ["X-Forgejo-Event", "X-Gitea-Event", "X-GitHub-Event"]);
    const signature = first(headers, ["X-Forgejo-Signature", "X-Gitea-Signature", "X-Hub-Signature-256"]);
    const delivery = first(headers, ["X-Forgejo-Delivery", "X-Gitea-Delivery", "X-GitHub-Delivery"]);
    return {
      provider: "gitea",
      event: event?.value ?? "",
      deliveryId: delivery?.value ?? null,
      credential: { kind: "hmac", header: signature?.name ?? "X-Gitea-Signature", value: signature?.value ?? null },
    };
  },
  interpret: (event, payload) => interpretGithubStyle("Gitea", event, payload),
};
