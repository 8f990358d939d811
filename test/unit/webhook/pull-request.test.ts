import { createHmac } from "node:crypto";
import examples from "@octokit/webhooks-examples";
import { describe, expect, it } from "vitest";
import { RequestError } from "../../../src/worker/errors";
import { receiveDelivery } from "../../../src/worker/webhook/receive";
import { webhookSecrets } from "../../../src/worker/webhook/webhook-secrets";

const SECRET = "unit-secret-pr-77";
const settings = { secrets: webhookSecrets({ WEBHOOK_SECRET: SECRET }), maxBytes: 1 << 20 };
const now = new Date("2026-01-02T03:04:05.000Z");
type Example = { action: string; number: number; pull_request: { head: { repo: { full_name: string } | null } } };
const pullExamples = (examples as { name: string; examples: Example[] }[]).find(
  (e) => e.name === "pull_request",
)!.examples;
const example = (action: string) => structuredClone(pullExamples.find((e) => e.action === action)!);

function delivery(payload: unknown, secret = SECRET) {
  const body = JSON.stringify(payload);
  const signature = `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
  const headers = { "x-github-event": "pull_request", "x-github-delivery": "pr-1", "x-hub-signature-256": signature };
  return new Request("https://tower.test/webhook", { method: "POST", body, headers });
}

describe("GitHub pull_request", () => {
  it("turns opened/synchronize/closed into a PullRequestReceived of the base repo", async () => {
    for (const [action, meaning] of [
      ["opened", "open"],
      ["synchronize", "open"],
      ["reopened", "open"],
      ["closed", "close"],
    ] as const) {
      const got = await receiveDelivery(delivery(example(action)), settings, now);
      expect(got).toEqual({
        kind: "pull-request",
        provider: "github",
        pull: {
          provider: "github",
          deliveryId: "pr-1",
          repo: "github.com/codertocat/hello-world",
          number: 2,
          action: meaning,
          fork: false,
          headHint: "ec26c3e57ca3a959ca5aad62de7213c562f8c821",
          receivedAt: now.toISOString(),
        },
      });
    }
  });

  it("marks a head in another repository (or a deleted fork) as a fork", async () => {
    const fork = example("opened");
    fork.pull_request.head.repo = { ...fork.pull_request.head.repo!, full_name: "someone/Hello-World" };
    const got = await receiveDelivery(delivery(fork), settings, now);
    expect(got.kind === "pull-request" && got.pull.fork).toBe(true);
    fork.pull_request.head.repo = null;
    const gone = await receiveDelivery(delivery(fork), settings, now);
    expect(gone.kind === "pull-request" && gone.pull.fork).toBe(true);
  });

  it("ignores actions that change no preview, and checks the signature first", async () => {
    expect(await receiveDelivery(delivery(example("labeled")), settings, now)).toMatchObject({
      kind: "ignored",
      reason: 'GitHub pull_request action "labeled" does not change a preview',
    });
    const forged = receiveDelivery(delivery(example("opened"), "not-the-secret"), settings, now);
    await expect(forged).rejects.toBeInstanceOf(RequestError);
  });
});
