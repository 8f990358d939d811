/**
 * A webhook delivery from request to pushes, in the order that cannot be fooled: size limit →
 * signature → parse. Nothing here touches storage; the route records what comes out.
 */
import type { PullRequestReceived, PushReceived } from "../../durable/contract";
import { RequestError } from "../errors";
import { identify } from "./providers";
import { readBodyWithin } from "./read-body";
import { verifyDelivery } from "./verify";

export interface WebhookSettings {
  /** WEBHOOK_SECRET first, then WEBHOOK_SECRET_PREVIOUS while rotating; never empty. */
  secrets: string[];
  maxBytes: number;
}

export type Received =
  | { kind: "ping"; provider: PushReceived["provider"] }
  | { kind: "ignored"; provider: PushReceived["provider"]; reason: string }
  | { kind: "push"; provider: PushReceived["provider"]; pushes: PushReceived[] }
  | { kind: "pull-request"; provider: PushReceived["provider"]; pull: PullRequestReceived };

export async function receiveDelivery(request: Request, settings: WebhookSettings, now: Date): Promise<Received> {
  const body = await readBodyWithin(request, settings.maxBytes);
  const found = identify(request.headers);
  if (found === null) {
    throw new RequestError(
      "missing_signature",
      "not a recognised webhook: expected X-GitHub-Event, X-Gitea-Event, X-Gitlab-Event or X-Event-Key with a signature",
    );
  }
  const { provider, delivery } = found;
  const text = await verifyDelivery(delivery, body, settings.secrets);
  let payload: unknown;
  try {
    payload = JSON.parse(jsonOf(text, request.headers.get("Content-Type")));
  } catch {
    throw new RequestError("invalid_json", `${provider.name} delivery body is not valid JSON`);
  }
  const meaning = provider.interpret(delivery.event, payload);
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

/** GitHub and Gitea may send `payload=<json>` form-encoded; the signature covers the form as sent. */
function jsonOf(text: string, contentType: string | null): string {
  if (!contentType?.toLowerCase().startsWith("application/x-www-form-urlencoded")) return text;
  return new URLSearchParams(text).get("payload") ?? "";
}
