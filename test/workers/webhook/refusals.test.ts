import examples from "@octokit/webhooks-examples";
import { sign } from "@octokit/webhooks-methods";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { github, PREVIOUS_SECRET, SECRET, send, webhookRequest } from "./deliver";

const push = examples.find((e) => e.name === "push")!.examples[4]!;
const ping = examples.find((e) => e.name === "ping")!.examples[0]!;
const issues = examples.find((e) => e.name === "issues")!.examples[0]!;

let warn: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  warn = vi.spyOn(console, "warn").mockImplementation(() => {});
});
afterEach(() => warn.mockRestore());

async function error(res: Response) {
  const body = (await res.json()) as { error: { code: string; message: string } };
  return body.error;
}

describe("POST /webhook refusals", () => {
  it("refuses everything with 503 when no WEBHOOK_SECRET is set", async () => {
    const res = await send(await github("push", push), {
      WEBHOOK_SECRET: undefined,
      WEBHOOK_SECRET_PREVIOUS: undefined,
    });
    expect(res.status).toBe(503);
    expect(await error(res)).toMatchObject({ code: "webhook_not_configured" });
  });

  it("refuses a delivery without signature headers with 401", async () => {
    const body = JSON.stringify(push);
    const res = await send(webhookRequest(body, { "x-github-event": "push", "x-github-delivery": "d1" }));
    expect(res.status).toBe(401);
    const err = await error(res);
    expect(err.code).toBe("missing_signature");
    expect(err.message).toContain("X-Hub-Signature-256");
  });

  it("refuses a request that names no git host with 401", async () => {
    const res = await send(webhookRequest("{}", { "content-type": "application/json" }));
    expect(res.status).toBe(401);
  });

  it("refuses a wrong signature with 401 and never echoes it or the secret", async () => {
    const body = JSON.stringify(push);
    const bad = await sign("some-other-secret", body);
    const res = await send(
      webhookRequest(body, { "x-github-event": "push", "x-github-delivery": "d2", "x-hub-signature-256": bad }),
    );
    expect(res.status).toBe(401);
    const text = await res.text();
    expect(text).toContain("bad_signature");
    expect(text).not.toContain(bad.slice(7));
    expect(text).not.toContain(SECRET);
    for (const call of warn.mock.calls) expect(String(call)).not.toContain(bad.slice(7));
    expect(warn).toHaveBeenCalledWith(expect.stringContaining("bad_signature"));
  });

  it("accepts the previous secret during rotation", async () => {
    const res = await send(await github("ping", ping, PREVIOUS_SECRET), { WEBHOOK_SECRET_PREVIOUS: PREVIOUS_SECRET });
    expect(res.status).toBe(200);
    const refused = await send(await github("ping", ping, PREVIOUS_SECRET));
    expect(refused.status).toBe(401);
  });

  it("answers 413 for a declared Content-Length over the limit, before checking anything else", async () => {
    const body = "x".repeat(2048);
    const res = await send(webhookRequest(body, { "x-github-event": "push", "content-length": "2048" }), {
      WEBHOOK_MAX_BYTES: "1024",
    });
    expect(res.status).toBe(413);
    expect(await error(res)).toMatchObject({ code: "payload_too_large" });
  });

  it("answers 413 for a streamed body without Content-Length that runs past the limit", async () => {
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        if (pulled > 1000) controller.close();
        else controller.enqueue(new Uint8Array(512).fill(120));
      },
    });
    const res = await send(webhookRequest(stream, { "x-github-event": "push" }), { WEBHOOK_MAX_BYTES: "4096" });
    expect(res.status).toBe(413);
    expect(pulled).toBeLessThan(20);
  });

  it("answers 400 for malformed JSON with a good signature", async () => {
    const body = '{"ref": "refs/heads/main", ';
    const res = await send(
      webhookRequest(body, {
        "x-github-event": "push",
        "x-github-delivery": "d3",
        "x-hub-signature-256": await sign(SECRET, body),
      }),
    );
    expect(res.status).toBe(400);
    expect(await error(res)).toMatchObject({ code: "invalid_json" });
  });

  it("answers 400 naming the field for a signed push missing fields", async () => {
    const res = await send(await github("push", { ...push, after: "nope" }));
    expect(res.status).toBe(400);
    const err = await error(res);
    expect(err.code).toBe("invalid_payload");
    expect(err.message).toContain("after");
  });

  it("answers a signed ping 200", async () => {
    const res = await send(await github("ping", ping));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, event: "ping" });
  });

  it("answers events Tower does not act on 202 with the reason", async () => {
    const res = await send(await github("issues", issues));
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ ignored: 'GitHub event "issues" is not acted on (only push and pull_request)' });
  });

  it("answers GET /webhook 405", async () => {
    const res = await send(new Request("https://tower.test/webhook"));
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("POST");
    expect(await error(res)).toMatchObject({ code: "method_not_allowed" });
  });
});
