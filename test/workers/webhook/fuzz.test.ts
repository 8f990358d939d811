// Thousands of random deliveries — random bodies, header sets and signatures — must all be refused
// with a 4xx (never 500, never a throw), and none may reach the ProjectDO inbox.
import { env } from "cloudflare:test";
import examples from "@octokit/webhooks-examples";
import { sign } from "@octokit/webhooks-methods";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { StoredEvent } from "../../../src/durable/contract";
import { projectStub } from "../do-stubs";
import { send, webhookRequest } from "./deliver";

const CASES = 2500;
const push = JSON.stringify(examples.find((e) => e.name === "push")!.examples[4]);

/** mulberry32: a small seeded PRNG, so a failing case can be replayed. */
function rng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function fuzzer(seed: number) {
  const next = rng(seed);
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  const bytes = (n: number) => Uint8Array.from({ length: n }, () => int(256));
  const hex = (n: number) => Array.from({ length: n }, () => "0123456789abcdef"[int(16)]).join("");
  const text = (n: number) => String.fromCharCode(...Array.from({ length: n }, () => 32 + int(95)));

  const body = (): string | Uint8Array =>
    pick([
      () => bytes(int(300)),
      () => text(int(200)),
      () => push,
      () => push.replace(/[0-9a-f]{40}/, hex(40)),
      () => JSON.stringify({ ref: "refs/heads/main", after: hex(40), before: hex(40), object_kind: "push" }),
      () => "",
    ])();

  const signature = async (raw: string | Uint8Array): Promise<string> =>
    pick([
      () => `sha256=${hex(64)}`,
      () => hex(64),
      () => `sha256=${hex(int(80))}`,
      () => `sha1=${hex(40)}`,
      () => text(int(90)),
      () => sign("wrong-secret", typeof raw === "string" && raw ? raw : "x"),
      () => sign(String(import.meta.url), push),
      () => "",
    ])();

  return async (): Promise<Request> => {
    const raw = body();
    const sig = await signature(raw);
    const provider = pick(["github", "gitea", "forgejo", "gitlab", "bitbucket", "none", "mixed"]);
    const headers: Record<string, string> = pick<Record<string, string>>([{}, { "content-type": "application/json" }]);
    const event = pick(["push", "ping", "Push Hook", "Tag Push Hook", "repo:push", "issues", text(int(12))]);
    if (provider === "github" || provider === "mixed") {
      Object.assign(headers, { "x-github-event": event, "x-github-delivery": hex(32), "x-hub-signature-256": sig });
    }
    if (provider === "gitea") Object.assign(headers, { "x-gitea-event": event, "x-gitea-signature": sig });
    if (provider === "forgejo") Object.assign(headers, { "x-forgejo-event": event, "x-forgejo-signature": sig });
    if (provider === "gitlab" || provider === "mixed") {
      Object.assign(headers, { "x-gitlab-event": event, "x-gitlab-token": pick([sig, text(int(40)), ""]) });
    }
    if (provider === "bitbucket") {
      Object.assign(headers, { "x-event-key": event, "x-request-uuid": hex(32), "x-hub-signature": sig });
    }
    if (int(4) === 0) delete headers[pick(Object.keys(headers).length ? Object.keys(headers) : ["x"])];
    return webhookRequest(raw, headers);
  };
}

let warn: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  warn = vi.spyOn(console, "warn").mockImplementation(() => {});
});
afterEach(() => warn.mockRestore());

describe("POST /webhook fuzz", () => {
  it(`refuses ${CASES} random unsigned or mis-signed deliveries and records none`, async () => {
    const before: StoredEvent[] = await projectStub(env).events(0, 10_000);
    const next = fuzzer(20260122);
    const statuses = new Map<number, number>();
    for (let i = 0; i < CASES; i++) {
      const res = await send(await next());
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      if (res.status !== 401) throw new Error(`case ${i}: expected 401, got ${res.status}: ${await res.text()}`);
      const body = (await res.json()) as { error: { code: string } };
      expect(["missing_signature", "bad_signature"]).toContain(body.error.code);
    }
    expect(statuses).toEqual(new Map([[401, CASES]]));
    expect(warn).toHaveBeenCalledTimes(CASES);
    expect(await projectStub(env).events(0, 10_000)).toEqual(before);
  });
});
