/**
 * The generic webhook: the Notification as JSON, signed like GitHub signs its own webhooks —
 * `X-Tower-Signature-256: sha256=<hex HMAC-SHA256 of the body bytes>` — when a key is set.
 */
import type { HttpCall } from "./http-call";
import type { Notification } from "./notification";

export const SIGNATURE_HEADER = "x-tower-signature-256";

export async function webhookCall(notification: Notification, url: string, key: string | undefined): Promise<HttpCall> {
  const body = JSON.stringify(notification);
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "user-agent": "tower",
    "x-tower-event": notification.event,
    "x-tower-delivery": notification.id,
  };
  if (key !== undefined) headers[SIGNATURE_HEADER] = `sha256=${await hmacHex(key, body)}`;
  return { method: "POST", url, headers, body };
}

export async function hmacHex(key: string, body: string): Promise<string> {
  const encoder = new TextEncoder();
  const cryptoKey = await crypto.subtle.importKey(
    "raw",
    encoder.encode(key),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", cryptoKey, encoder.encode(body)));
  return [...mac].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}
