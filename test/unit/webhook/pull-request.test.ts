import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
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

describe("GitLab merge_request", () => {
  const TOKEN = "gitlab-token-for-mrs";
  const REPO_SECRET = "diaspora-own-token";
  const gitlabSettings = { secrets: webhookSecrets({ WEBHOOK_SECRET: TOKEN }), maxBytes: 1 << 20 };
  type MergeRequest = {
    object_attributes: { action?: string; source_project_id: number | null; target_project_id: number };
  };
  const fixture = (): MergeRequest =>
    JSON.parse(readFileSync(new URL("fixtures/gitlab-merge-request.json", import.meta.url), "utf8"));
  const withAction = (action: string) => {
    const payload = fixture();
    payload.object_attributes.action = action;
    return payload;
  };
  const mr = (payload: unknown, token = TOKEN) =>
    new Request("https://tower.test/webhook", {
      method: "POST",
      body: JSON.stringify(payload),
      headers: { "x-gitlab-event": "Merge Request Hook", "x-gitlab-token": token, "x-gitlab-event-uuid": "mr-ev-1" },
    });

  it("turns open/reopen/update and close/merge into a PullRequestReceived of the target project", async () => {
    for (const [action, meaning] of [
      ["open", "open"],
      ["reopen", "open"],
      ["update", "open"],
      ["close", "close"],
      ["merge", "close"],
    ] as const) {
      expect(await receiveDelivery(mr(withAction(action)), gitlabSettings, now)).toEqual({
        kind: "pull-request",
        provider: "gitlab",
        pull: {
          provider: "gitlab",
          deliveryId: "mr-ev-1",
          repo: "gitlab.example.com/mike/diaspora",
          number: 12,
          action: meaning,
          fork: false,
          headHint: "da1560886d4f094c3e6c9ef40349f7d38b5d27d7",
          receivedAt: now.toISOString(),
        },
      });
    }
  });

  it("marks a merge request from another project (or a deleted one) as a fork", async () => {
    const fork = fixture();
    fork.object_attributes.source_project_id = 31;
    const got = await receiveDelivery(mr(fork), gitlabSettings, now);
    expect(got.kind === "pull-request" && got.pull.fork).toBe(true);
    fork.object_attributes.source_project_id = null;
    const gone = await receiveDelivery(mr(fork), gitlabSettings, now);
    expect(gone.kind === "pull-request" && gone.pull.fork).toBe(true);
  });

  it("checks the token as for pushes (per-repo secrets included), ignores approvals, names a bad field", async () => {
    await expect(receiveDelivery(mr(fixture(), "wrong"), gitlabSettings, now)).rejects.toMatchObject({
      code: "bad_signature",
    });
    const perRepo = {
      secrets: webhookSecrets({
        WEBHOOK_SECRET: TOKEN,
        WEBHOOK_SECRETS: JSON.stringify({ "https://gitlab.example.com/mike/diaspora": REPO_SECRET }),
      }),
      maxBytes: 1 << 20,
    };
    expect((await receiveDelivery(mr(fixture(), REPO_SECRET), perRepo, now)).kind).toBe("pull-request");
    await expect(receiveDelivery(mr(fixture(), TOKEN), perRepo, now)).rejects.toMatchObject({ code: "bad_signature" });
    expect(await receiveDelivery(mr(withAction("approved")), gitlabSettings, now)).toMatchObject({
      kind: "ignored",
      reason: 'GitLab merge_request action "approved" does not change a preview',
    });
    const broken = fixture() as unknown as { object_attributes: { iid: unknown } };
    broken.object_attributes.iid = "12";
    await expect(receiveDelivery(mr(broken), gitlabSettings, now)).rejects.toMatchObject({
      code: "invalid_payload",
      message: expect.stringContaining("object_attributes.iid"),
    });
  });
});
