/**
 * `POST /webhook`: receive, record in the ProjectDO inbox, answer. All git and Fly work happens
 * later, in the DO's alarms; this path only verifies and appends. Refused deliveries leave nothing
 * behind but a counter and one log line naming the reason (never a header value).
 */
import { Hono } from "hono";
import type { PullRequestReceived, PushReceived, RecordPushResult } from "../../durable/contract";
import { projectStub } from "../../durable/stubs";
import type { TowerEnv } from "../../env";
import { methodNotAllowed, RequestError } from "../errors";
import { maxBodyBytes } from "./read-body";
import { receiveDelivery } from "./receive";
import { anySecret, webhookSecrets } from "./webhook-secrets";

const refused = new Map<string, number>();

/** Refusals counted by this isolate since it started, by code. */
export function refusedDeliveries(): Record<string, number> {
  return Object.fromEntries(refused);
}

export function webhookRoutes() {
  const routes = new Hono<{ Bindings: TowerEnv }>();
  routes.post("/", async (c) => {
    const secrets = webhookSecrets(c.env);
    if (!anySecret(secrets)) {
      throw new RequestError(
        "webhook_not_configured",
        "WEBHOOK_SECRET is not set, so no delivery can be verified: set it with wrangler secret put WEBHOOK_SECRET",
      );
    }
    let received: Awaited<ReturnType<typeof receiveDelivery>>;
    try {
      received = await receiveDelivery(
        c.req.raw,
        { secrets, maxBytes: maxBodyBytes(c.env.WEBHOOK_MAX_BYTES) },
        new Date(),
      );
    } catch (err) {
      if (err instanceof RequestError) countRefusal(err.code);
      throw err;
    }
    if (received.kind === "ping") return c.json({ ok: true, event: "ping" }, 200);
    if (received.kind === "ignored") return c.json({ ignored: received.reason }, 202);
    if (received.kind === "pull-request") {
      const result = await recordPull(c.env, received.pull);
      if (result.duplicate) return c.json({ duplicate: true }, 200);
      return c.json({ accepted: true, seq: result.seq }, 202);
    }
    const results = await record(c.env, received.pushes);
    if (results.every((result) => result.duplicate)) return c.json({ duplicate: true }, 200);
    return c.json({ accepted: true, seq: Math.max(...results.map((result) => result.seq)) }, 202);
  });
  routes.all("/", methodNotAllowed(["POST"]));
  return routes;
}

async function record(env: TowerEnv, pushes: PushReceived[]): Promise<RecordPushResult[]> {
  const project = projectStub(env);
  const results: RecordPushResult[] = [];
  try {
    for (const push of pushes) results.push(await project.recordPush(push));
  } catch (err) {
    console.error(`tower: recording a push failed: ${err instanceof Error ? err.name : typeof err}`);
    throw new RequestError("record_failed", "the push could not be recorded; ask the git host to redeliver it");
  }
  return results;
}

async function recordPull(env: TowerEnv, pull: PullRequestReceived): Promise<RecordPushResult> {
  try {
    return await projectStub(env).recordPullRequest(pull);
  } catch (err) {
    console.error(`tower: recording a pull request failed: ${err instanceof Error ? err.name : typeof err}`);
    throw new RequestError(
      "record_failed",
      "the pull request event could not be recorded; ask the git host to redeliver it",
    );
  }
}

function countRefusal(code: string): void {
  const count = (refused.get(code) ?? 0) + 1;
  refused.set(code, count);
  console.warn(`tower: webhook refused: ${code} (${count} since start)`);
}
