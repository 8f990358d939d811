/**
 * A webhook delivery from request to pushes, in the order that cannot be fooled: size limit →
 * signature → parse. Nothing here touches storage; the route records what comes out.
 */
import type { PullRequestReceived, PushReceived } from "../../durable/contract";
import { RequestError } from "../errors";
import { readBodyWithin } from "../read-body";
import type { Provider } from "./delivery";
import { identify } from "./providers";
import { verifyDelivery } from "./verify";
import { secretsFor, type WebhookSecrets } from "./webhook-secrets";

export interface WebhookSettings {
  /** Shared, per-provider and per-repo secrets (webhook-secrets.ts); at least one is set. */
  secrets: WebhookSecrets;
  maxBytes: number;
}

export type Received =
  | { kind: "ping"; provider: PushReceived["provider"] }
  | { kind: "ignored"; provider: PushReceived["provider"]; reason: string }
  | { kind: "push"; provider: PushReceived["provider"]; pushes: PushReceived[] }
  | { kind: "pull-request"; provider: PushReceived["provider"]; pull: PullRequestReceived };

export async function receiveDelivery(request: Request, settings: WebhookSettings, now: Date): Promise<Received> {
  const body = await readBodyWithin(request, settings.maxBytes, "a webhook delivery (WEBHOOK_MAX_BYTES)");
  const found = identify(request.headers);
  if (found === null) {
    throw new RequestError(
      "missing_signature",
      "not a recognised webhook: expected X-GitHub-Event, X-Gitea-Event, X-Gitlab-Event or X-Event-Key with a signature",
    );
  }
  const { provider, delivery } = found;
  const contentType = request.headers.get("Content-Type");
  // Which secret applies depends on the repo the body names, read here unverified: it only picks
  // the key, and a body that lies about its repo is then checked against that repo's own secret.
  const claimed =
    Object.keys(settings.secrets.byRepo).length > 0 ? claimedRepo(provider, delivery.event, body, contentType) : null;
  const chosen = secretsFor(settings.secrets, provider.name, claimed);
  const text = await verifyDelivery(delivery, body, chosen);
  let payload: unknown;
  try {
    payload = JSON.parse(jsonOf(text, contentType));
  } catch {
    throw new RequestError("invalid_json", `${provider.name} delivery body is not valid JSON`);
  }
  const meaning = provider.interpret(delivery.event, payload);
  // Every push must be one the verifying secret covers (one delivery names one repo on every host).
  if (meaning.kind === "push")
    for (const push of meaning.pushes)
      if (secretsFor(settings.secrets, provider.name, push.repo).setting !== chosen.setting)
        throw new RequestError(
          "bad_signature",
          `the delivery names ${push.repo}, which ${chosen.setting} does not cover`,
        );
  if (
    meaning.kind === "pull-request" &&
    secretsFor(settings.secrets, provider.name, meaning.pull.repo).setting !== chosen.setting
  )
    throw new RequestError(
      "bad_signature",
      `the delivery names ${meaning.pull.repo}, which ${chosen.setting} does not cover`,
    );
  if (meaning.kind === "ping" || meaning.kind === "ignored") return { ...meaning, provider: provider.name };
  const deliveryId = delivery.deliveryId?.trim() || (await provider.fallbackDeliveryId?.(request.headers, body));
  if (!deliveryId) {
    throw new RequestError("missing_delivery_id", `${provider.name} push without a delivery id header`);
  }
  if (deliveryId.length > 200) throw new RequestError("missing_delivery_id", "delivery id header is too long");
  const receivedAt = now.toISOString();
  if (meaning.kind === "pull-request") {
    const pull = { provider: provider.name, deliveryId, ...meaning.pull, receivedAt };
    return { kind: "pull-request", provider: provider.name, pull };
  }
  const many = meaning.pushes.length > 1;
  const pushes = meaning.pushes.map((push, i) => ({
    provider: provider.name,
    deliveryId: many ? `${deliveryId}#${i}` : deliveryId,
    ...push,
    receivedAt,
  }));
  return { kind: "push", provider: provider.name, pushes };
}

/** The repo an unverified body claims, or null when it names none Tower can read. */
function claimedRepo(provider: Provider, event: string, body: Uint8Array, contentType: string | null): string | null {
  try {
    const meaning = provider.interpret(event, JSON.parse(jsonOf(new TextDecoder().decode(body), contentType)));
    if (meaning.kind === "pull-request") return meaning.pull.repo;
    return meaning.kind === "push" ? (meaning.pushes[0]?.repo ?? null) : null;
  } catch {
    return null;
  }
}

/** GitHub and Gitea may send `payload=<json>` form-encoded; the signature covers the form as sent. */
function jsonOf(text: string, contentType: string | null): string {
  if (!contentType?.toLowerCase().startsWith("application/x-www-form-urlencoded")) return text;
  return new URLSearchParams(text).get("payload") ?? "";
}
