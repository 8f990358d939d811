import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { RequestError } from "../../../src/worker/errors";
import { receiveDelivery } from "../../../src/worker/webhook/receive";
import { webhookSecrets } from "../../../src/worker/webhook/webhook-secrets";

const SECRET = "unit-secret-0b9d";
const settings = { secrets: webhookSecrets({ WEBHOOK_SECRET: SECRET }), maxBytes: 1 << 20 };
const now = new Date("2026-01-02T03:04:05.000Z");
const fixture = (name: string) => readFileSync(new URL(`fixtures/${name}.json`, import.meta.url), "utf8");
const hmac = (body: string, secret = SECRET) => createHmac("sha256", secret).update(body).digest("hex");
const request = (body: string, headers: Record<string, string>) =>
  new Request("https://tower.test/webhook", { method: "POST", body, headers });

async function refusal(promise: Promise<unknown>): Promise<RequestError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(RequestError);
  return err as RequestError;
}

describe("GitLab", () => {
  const body = fixture("gitlab-push");
  const headers = { "x-gitlab-event": "Push Hook", "x-gitlab-token": SECRET, "x-gitlab-event-uuid": "ev-1" };

  it("turns a push into one PushReceived keyed by X-Gitlab-Event-UUID", async () => {
    expect(await receiveDelivery(request(body, headers), settings, now)).toEqual({
      kind: "push",
      provider: "gitlab",
      pushes: [
        {
          provider: "gitlab",
          deliveryId: "ev-1",
          repo: "gitlab.example.com/mike/diaspora",
          ref: "refs/heads/main",
          before: "95790bf891e76fee5e1747ab589903a6a1f80f22",
          after: "da1560886d4f094c3e6c9ef40349f7d38b5d27d7",
          deleted: false,
          receivedAt: "2026-01-02T03:04:05.000Z",
        },
      ],
    });
  });

  it("prefers Idempotency-Key, which GitLab keeps across retries", async () => {
    const got = await receiveDelivery(request(body, { ...headers, "idempotency-key": "idem-9" }), settings, now);
    expect(got.kind === "push" && got.pushes[0]!.deliveryId).toBe("idem-9");
  });

  it("falls back to a SHA-256 of the body when no id header came, the same for a redelivery", async () => {
    const { "x-gitlab-event-uuid": _, ...bare } = headers;
    const a = await receiveDelivery(request(body, bare), settings, now);
    const b = await receiveDelivery(request(body, bare), settings, now);
    const id = a.kind === "push" ? a.pushes[0]!.deliveryId : "";
    expect(id).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(b.kind === "push" && b.pushes[0]!.deliveryId).toBe(id);
  });

  it("marks a deleted tag (no checkout_sha, zero after) as deleted", async () => {
    const got = await receiveDelivery(
      request(fixture("gitlab-tag-delete"), { ...headers, "x-gitlab-event": "Tag Push Hook" }),
      settings,
      now,
    );
    expect(got.kind === "push" && got.pushes[0]).toMatchObject({
      ref: "refs/tags/v1.0.0",
      deleted: true,
      repo: "gitlab.example.com/group/sub/example",
    });
  });

  it("refuses a wrong or missing token with 401 codes, and ignores other kinds", async () => {
    expect(
      (await refusal(receiveDelivery(request(body, { ...headers, "x-gitlab-token": "nope" }), settings, now))).code,
    ).toBe("bad_signature");
    const { "x-gitlab-token": _, ...unsigned } = headers;
    expect((await refusal(receiveDelivery(request(body, unsigned), settings, now))).code).toBe("missing_signature");
    const issue = JSON.stringify({ object_kind: "issue" });
    expect(
      await receiveDelivery(request(issue, { ...headers, "x-gitlab-event": "Issue Hook" }), settings, now),
    ).toEqual({
      kind: "ignored",
      provider: "gitlab",
      reason: 'GitLab event "Issue Hook" (issue) is not acted on (only push, tag_push and merge_request)',
    });
  });
});

describe("Gitea / Forgejo", () => {
  const body = fixture("gitea-push");

  it("verifies the bare hex X-Gitea-Signature and keys by X-Gitea-Delivery", async () => {
    const headers = {
      "x-gitea-event": "push",
      "x-gitea-delivery": "g-1",
      "x-gitea-signature": hmac(body),
      "x-github-event": "push",
      "x-github-delivery": "g-1",
      "x-hub-signature-256": `sha256=${hmac(body)}`,
    };
    const got = await receiveDelivery(request(body, headers), settings, now);
    expect(got.kind === "push" && got.pushes[0]).toMatchObject({
      provider: "gitea",
      deliveryId: "g-1",
      repo: "gitea.example.com/gitea/webhooks",
      ref: "refs/heads/develop",
      deleted: false,
    });
  });

  it("reads Forgejo's own headers first", async () => {
    const headers = { "x-forgejo-event": "push", "x-forgejo-delivery": "f-1", "x-forgejo-signature": hmac(body) };
    const got = await receiveDelivery(request(body, headers), settings, now);
    expect(got.kind === "push" && got.pushes[0]!.deliveryId).toBe("f-1");
    const forged = { ...headers, "x-forgejo-signature": hmac(body, "other") };
    expect((await refusal(receiveDelivery(request(body, forged), settings, now))).code).toBe("bad_signature");
  });
});

describe("Bitbucket Cloud", () => {
  const body = fixture("bitbucket-push");
  const headers = {
    "x-event-key": "repo:push",
    "x-request-uuid": "b-1",
    "x-hook-uuid": "hook-1",
    "x-hub-signature": `sha256=${hmac(body)}`,
  };

  it("turns every ref change into its own push keyed <delivery>#<index>", async () => {
    const got = await receiveDelivery(request(body, headers), settings, now);
    expect(got.kind).toBe("push");
    const pushes = got.kind === "push" ? got.pushes : [];
    expect(pushes.map((p) => [p.deliveryId, p.ref, p.deleted])).toEqual([
      ["b-1#0", "refs/heads/main", false],
      ["b-1#1", "refs/tags/v2", false],
      ["b-1#2", "refs/heads/feature/x", true],
    ]);
    expect(pushes[0]!.repo).toBe("bitbucket.org/team/service");
    expect(pushes[1]!.before).toBe("0000000000000000000000000000000000000000");
    expect(pushes[2]!.after).toBe("0000000000000000000000000000000000000000");
  });

  it("refuses a missing X-Request-UUID after the signature checks out", async () => {
    const { "x-request-uuid": _, ...noId } = headers;
    expect((await refusal(receiveDelivery(request(body, noId), settings, now))).code).toBe("missing_delivery_id");
  });

  it("ignores other event keys", async () => {
    const other = JSON.stringify({ pullrequest: {} });
    const got = await receiveDelivery(
      request(other, { ...headers, "x-event-key": "pullrequest:created", "x-hub-signature": `sha256=${hmac(other)}` }),
      settings,
      now,
    );
    expect(got).toMatchObject({ kind: "ignored" });
  });
});

describe("GitHub form-encoded deliveries", () => {
  it("reads the payload field of a signed form body", async () => {
    const json = JSON.stringify({
      ref: "refs/heads/main",
      before: "a".repeat(40),
      after: "b".repeat(40),
      repository: { clone_url: "https://github.com/o/r.git" },
    });
    const body = new URLSearchParams({ payload: json }).toString();
    const headers = {
      "content-type": "application/x-www-form-urlencoded",
      "x-github-event": "push",
      "x-github-delivery": "form-1",
      "x-hub-signature-256": `sha256=${hmac(body)}`,
    };
    const got = await receiveDelivery(request(body, headers), settings, now);
    expect(got.kind === "push" && got.pushes[0]).toMatchObject({ repo: "github.com/o/r", after: "b".repeat(40) });
    const empty = "other=1";
    const bad = { ...headers, "x-hub-signature-256": `sha256=${hmac(empty)}` };
    expect((await refusal(receiveDelivery(request(empty, bad), settings, now))).code).toBe("invalid_json");
  });
});

describe("signature checks before parsing", () => {
  it("refuses a non-UTF-8 body as unverifiable, not as bad JSON", async () => {
    const bytes = new Uint8Array([0x7b, 0xff, 0x7d]);
    const req = new Request("https://tower.test/webhook", {
      method: "POST",
      body: bytes,
      headers: { "x-github-event": "push", "x-hub-signature-256": `sha256=${"0".repeat(64)}` },
    });
    expect((await refusal(receiveDelivery(req, settings, now))).code).toBe("bad_signature");
  });

  it("refuses a malformed signature without crashing", async () => {
    for (const sig of ["sha256=zz", "sha1=abc", "", "sha256=", "x".repeat(71)]) {
      const req = request("{}", { "x-github-event": "push", "x-hub-signature-256": sig });
      expect(["missing_signature", "bad_signature"]).toContain(
        (await refusal(receiveDelivery(req, settings, now))).code,
      );
    }
  });
});

describe("one webhook secret per provider or per repo", () => {
  const gitlabBody = fixture("gitlab-push");
  const giteaBody = fixture("gitea-push");
  const GITLAB_TOKEN = "gitlab-token-sent-in-clear";
  const REPO_SECRET = "per-repo-hmac-key";
  const split = {
    secrets: webhookSecrets({
      WEBHOOK_SECRET: SECRET,
      WEBHOOK_SECRETS: JSON.stringify({
        gitlab: GITLAB_TOKEN,
        "https://gitlab.example.com/mike/diaspora": REPO_SECRET,
      }),
    }),
    maxBytes: 1 << 20,
  };
  const gitea = (body: string, secret: string) =>
    request(body, { "x-gitea-event": "push", "x-gitea-delivery": "g-1", "x-gitea-signature": hmac(body, secret) });
  const gitlab = (body: string, token: string) =>
    request(body, { "x-gitlab-event": "Push Hook", "x-gitlab-token": token, "x-gitlab-event-uuid": "ev-2" });

  it("a GitLab token is not a key for HMAC-signed hosts, and the shared secret no longer covers GitLab", async () => {
    const other = gitlabBody.replaceAll("mike/diaspora", "mike/other");
    expect((await receiveDelivery(gitlab(other, GITLAB_TOKEN), split, now)).kind).toBe("push");
    const forged = await refusal(receiveDelivery(gitea(giteaBody, GITLAB_TOKEN), split, now));
    expect(forged.code).toBe("bad_signature");
    expect((await receiveDelivery(gitea(giteaBody, SECRET), split, now)).kind).toBe("push");
    const shared = await refusal(receiveDelivery(gitlab(other, SECRET), split, now));
    expect(shared.message).toContain('WEBHOOK_SECRETS["gitlab"]');
    expect(shared.message).not.toContain(SECRET);
  });

  it("a repo with its own secret accepts only that secret, not its provider's", async () => {
    expect((await receiveDelivery(gitlab(gitlabBody, REPO_SECRET), split, now)).kind).toBe("push");
    const refused = await refusal(receiveDelivery(gitlab(gitlabBody, GITLAB_TOKEN), split, now));
    expect(refused.message).toContain('WEBHOOK_SECRETS["gitlab.example.com/mike/diaspora"]');
  });
});

describe("bounds on what a delivery can grow", () => {
  it("refuses a Bitbucket push with more ref changes than one push has, and an overlong ref name", async () => {
    const payload = JSON.parse(fixture("bitbucket-push")) as { push: { changes: unknown[] } };
    const one = payload.push.changes[0];
    const big = JSON.stringify({ ...payload, push: { changes: Array.from({ length: 51 }, () => one) } });
    const headers = (body: string) => ({
      "x-event-key": "repo:push",
      "x-request-uuid": "b-big",
      "x-hub-signature": `sha256=${hmac(body)}`,
    });
    const many = await refusal(receiveDelivery(request(big, headers(big)), settings, now));
    expect(many.code).toBe("invalid_payload");
    expect(many.message).toMatch(/push\.changes: at most 50 ref changes/);

    const gitlab = fixture("gitlab-push").replace('"ref": "refs/heads/main"', `"ref": "refs/heads/${"x".repeat(300)}"`);
    const long = await refusal(
      receiveDelivery(
        request(gitlab, { "x-gitlab-event": "Push Hook", "x-gitlab-token": SECRET, "x-gitlab-event-uuid": "l" }),
        settings,
        now,
      ),
    );
    expect(long.code).toBe("invalid_payload");
    expect(long.message).toMatch(/at most 255 characters/);
  });
});
