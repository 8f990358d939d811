// Sends a request through the real Worker app with per-test settings (secrets, limits) layered
// over the pool's env; the Durable Object bindings stay the real ones.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { sign } from "@octokit/webhooks-methods";
import type { TowerEnv } from "../../../src/env";
import { createApp } from "../../../src/worker/app";

export const SECRET = "test-webhook-secret-5f1c2e";
export const PREVIOUS_SECRET = "previous-webhook-secret-9a7b";

const app = createApp();

export async function send(request: Request, overrides: Partial<TowerEnv> = {}): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await app.fetch(request, { ...env, WEBHOOK_SECRET: SECRET, ...overrides }, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

export function webhookRequest(body: string | Uint8Array | ReadableStream, headers: Record<string, string>): Request {
  return new Request("https://tower.test/webhook", { method: "POST", body, headers, duplex: "half" } as RequestInit);
}

let counter = 0;
export function deliveryId(): string {
  counter += 1;
  return `${crypto.randomUUID()}-${counter}`;
}

/** A GitHub delivery of `payload`, signed with `secret`. */
export async function github(event: string, payload: unknown, secret = SECRET, id = deliveryId()): Promise<Request> {
  const body = JSON.stringify(payload);
  return webhookRequest(body, {
    "content-type": "application/json",
    "x-github-event": event,
    "x-github-delivery": id,
    "x-hub-signature-256": await sign(secret, body),
  });
}
