// Real GitHub payloads from @octokit/webhooks-examples, signed here, recorded in the real ProjectDO.
import { env } from "cloudflare:test";
import examples from "@octokit/webhooks-examples";
import { sign } from "@octokit/webhooks-methods";
import { describe, expect, it } from "vitest";
import type { PushReceived, StoredEvent } from "../../../src/durable/contract";
import { projectStub } from "../do-stubs";
import { deliveryId, github, SECRET, send, webhookRequest } from "./deliver";

interface PushExample {
  ref: string;
  before: string;
  after: string;
  created: boolean;
  deleted: boolean;
}
const pushes = examples.find((e) => e.name === "push")!.examples as unknown as PushExample[];
const branchPush = pushes.find((p) => p.ref === "refs/heads/master" && !p.deleted)!;
const tagPush = pushes.find((p) => p.ref.startsWith("refs/tags/") && p.created)!;
const deletePush = pushes.find((p) => p.deleted)!;

async function recorded(id: string): Promise<StoredEvent[]> {
  const all: StoredEvent[] = [];
  for (let after = 0; ; ) {
    const page: StoredEvent[] = await projectStub(env).events(after, 1000);
    all.push(...page);
    if (page.length < 1000) break;
    after = page.at(-1)!.seq;
  }
  return all.filter((event) => event.type === "push.received" && event.key === `push:${id}`);
}

async function deliver(payload: object, expected: Partial<PushReceived>) {
  const id = deliveryId();
  const res = await send(await github("push", payload, undefined, id));
  expect(res.status).toBe(202);
  const body = (await res.json()) as { accepted: boolean; seq: number };
  expect(body).toEqual({ accepted: true, seq: expect.any(Number) });
  const events = await recorded(id);
  expect(events).toHaveLength(1);
  expect(events[0]!.seq).toBe(body.seq);
  expect((events[0]!.data as { push: PushReceived }).push).toEqual({
    provider: "github",
    deliveryId: id,
    // GitHub ignores the case of repo paths, so the key folds it (src/base/repo-url.ts).
    repo: "github.com/codertocat/hello-world",
    receivedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    ...expected,
  });
  return id;
}

describe("POST /webhook pushes", () => {
  it("records a branch push and answers 202", async () => {
    await deliver(branchPush, {
      ref: "refs/heads/master",
      before: branchPush.before,
      after: branchPush.after,
      deleted: false,
    });
  });

  it("records a tag push", async () => {
    await deliver(tagPush, {
      ref: "refs/tags/simple-tag",
      before: tagPush.before,
      after: tagPush.after,
      deleted: false,
    });
  });

  it("records a branch or tag delete with deleted: true", async () => {
    await deliver(deletePush, {
      ref: deletePush.ref,
      before: deletePush.before,
      after: "0000000000000000000000000000000000000000",
      deleted: true,
    });
  });

  it("answers a redelivery 200 duplicate and records it once", async () => {
    const id = deliveryId();
    const first = await send(await github("push", branchPush, undefined, id));
    expect(first.status).toBe(202);
    for (let i = 0; i < 3; i++) {
      const again = await send(await github("push", branchPush, undefined, id));
      expect(again.status).toBe(200);
      expect(await again.json()).toEqual({ duplicate: true });
    }
    expect(await recorded(id)).toHaveLength(1);
  });

  it("records a Bitbucket push with several changes once per change, and a redelivery not at all", async () => {
    const body = JSON.stringify({
      push: {
        changes: [
          { old: null, new: { type: "branch", name: "main", target: { hash: "a".repeat(40) } } },
          { old: { type: "tag", name: "v1", target: { hash: "b".repeat(40) } }, new: null },
        ],
      },
      repository: { full_name: "team/svc", links: { html: { href: "https://bitbucket.org/team/svc" } } },
    });
    const id = deliveryId();
    const request = async () =>
      webhookRequest(body, {
        "x-event-key": "repo:push",
        "x-request-uuid": id,
        "x-hub-signature": await sign(SECRET, body),
      });
    expect((await send(await request())).status).toBe(202);
    expect((await send(await request())).status).toBe(200);
    expect(await recorded(`${id}#0`)).toHaveLength(1);
    expect(await recorded(`${id}#1`)).toHaveLength(1);
  });
});
