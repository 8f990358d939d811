/**
 * Every route that reads a request body reads it within a byte limit (issue 13 §6): the JSON API
 * (1 MiB) and the dashboard's forms (64 KiB) answer 413 naming the limit, whether the body
 * declares its length or streams without one, and nothing reaches a Durable Object.
 */
import { describe, expect, it } from "vitest";
import { DO_CALLS_HEADER } from "../../../src/worker/api/do-calls";
import { API_MAX_BODY_BYTES, FORM_MAX_BODY_BYTES } from "../../../src/worker/read-body";
import { send } from "../webhook/deliver";

const CI_TOKEN = "limits-ci-token-3c1f";
const ADMIN_TOKEN = "limits-admin-token-7a0e";
const API_TOKEN = "limits-api-token-91bd";
const settings = { CI_TOKEN, ADMIN_TOKEN, API_TOKEN, PUBLIC_API: "false" };

/** A body of `total` bytes in 16 KiB chunks, counting how many chunks were pulled. */
function stream(total: number, fill = 32) {
  const counter = { pulled: 0 };
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= total) return controller.close();
      const size = Math.min(16 * 1024, total - sent);
      sent += size;
      counter.pulled += 1;
      controller.enqueue(new Uint8Array(size).fill(fill));
    },
  });
  return { body, counter };
}

function post(path: string, body: BodyInit, headers: Record<string, string>): Request {
  return new Request(`https://tower.test${path}`, { method: "POST", body, headers, duplex: "half" } as RequestInit);
}

async function refusal(res: Response) {
  return ((await res.json()) as { error: { code: string; message: string } }).error;
}

const apiRoutes = [
  { path: "/api/images", token: CI_TOKEN },
  { path: "/api/apps/web/rollback", token: ADMIN_TOKEN },
];

describe("request body limits: the JSON API", () => {
  for (const { path, token } of apiRoutes) {
    it(`POST ${path}: a declared Content-Length over 1 MiB is 413 unread, and no Durable Object is called`, async () => {
      const { body, counter } = stream(API_MAX_BODY_BYTES + 1);
      const headers = {
        authorization: `Bearer ${token}`,
        "content-type": "application/json",
        "content-length": String(API_MAX_BODY_BYTES + 1),
      };
      const res = await send(post(path, body, headers), settings);
      expect(res.status).toBe(413);
      const error = await refusal(res);
      expect(error.code).toBe("payload_too_large");
      expect(error.message).toBe(
        `the body of POST ${path} is larger than the limit of 1 MiB (${API_MAX_BODY_BYTES} bytes)`,
      );
      expect(res.headers.get(DO_CALLS_HEADER)).toBe("0");
      expect(counter.pulled).toBeLessThanOrEqual(1);
    });

    it(`POST ${path}: a streamed (chunked) body past 1 MiB is 413 and cut off, and no Durable Object is called`, async () => {
      const { body, counter } = stream(50 * API_MAX_BODY_BYTES);
      const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
      const res = await send(post(path, body, headers), settings);
      expect(res.status).toBe(413);
      expect((await refusal(res)).code).toBe("payload_too_large");
      expect(res.headers.get(DO_CALLS_HEADER)).toBe("0");
      // 1 MiB in 16 KiB chunks is 64; reading stops at the first past it, with a few in flight.
      expect(counter.pulled).toBeLessThan(80);
    });
  }

  it("a Content-Length that understates the body does not get it past the limit", async () => {
    const { body } = stream(4 * API_MAX_BODY_BYTES);
    const headers = { authorization: `Bearer ${CI_TOKEN}`, "content-type": "application/json", "content-length": "10" };
    const res = await send(post("/api/images", body, headers), settings);
    expect(res.status).toBe(413);
  });

  it("a caller without a token is refused 401 before its body is read", async () => {
    const { body, counter } = stream(4 * API_MAX_BODY_BYTES);
    const res = await send(post("/api/images", body, { "content-type": "application/json" }), settings);
    expect(res.status).toBe(401);
    expect(counter.pulled).toBeLessThanOrEqual(1);
  });

  it("a body just within the limit is parsed as before: the route validates it", async () => {
    // Valid JSON, padded with whitespace to just under 1 MiB; the schema then names the bad field.
    const json = JSON.stringify({ images: {}, source: { commit: "not-a-hash" } });
    const padded = json + " ".repeat(API_MAX_BODY_BYTES - json.length);
    const headers = { authorization: `Bearer ${CI_TOKEN}`, "content-type": "application/json" };
    const res = await send(post("/api/images", padded, headers), settings);
    expect(res.status).toBe(400);
    expect(await refusal(res)).toMatchObject({
      code: "invalid_query",
      message: expect.stringContaining("source.commit"),
    });
  });
});

describe("request body limits: the dashboard's forms", () => {
  it("POST /sign-in: a form over 64 KiB is 413 naming the limit and signs nobody in, declared or streamed", async () => {
    const token = encodeURIComponent(API_TOKEN);
    const declared = `token=${token}&next=${"a".repeat(FORM_MAX_BODY_BYTES)}`;
    const form = { "content-type": "application/x-www-form-urlencoded" };
    const res = await send(
      post("/sign-in", declared, { ...form, "content-length": String(declared.length) }),
      settings,
    );
    expect(res.status).toBe(413);
    expect(res.headers.get("set-cookie")).toBeNull();
    expect(await res.text()).toContain(
      `the body of POST /sign-in is larger than the limit of 64 KiB (${FORM_MAX_BODY_BYTES} bytes)`,
    );
    const { body } = stream(10 * FORM_MAX_BODY_BYTES, 97);
    const streamed = await send(post("/sign-in", body, form), settings);
    expect(streamed.status).toBe(413);
    expect(streamed.headers.get("set-cookie")).toBeNull();
    // Within the limit, the same form signs in.
    const ok = await send(post("/sign-in", `token=${token}&next=/`, form), settings);
    expect(ok.status).toBe(303);
    expect(ok.headers.get("set-cookie")).toContain("__Host-tower_session=");
  });

  it("POST /sync (an admin action): a streamed form past 64 KiB is 413 before the action runs", async () => {
    const form = { "content-type": "application/x-www-form-urlencoded" };
    const signIn = await send(post("/sign-in", `token=${encodeURIComponent(ADMIN_TOKEN)}&next=/`, form), settings);
    const cookie = /^[^;]+/.exec(signIn.headers.get("set-cookie") ?? "")![0];
    const { body, counter } = stream(10 * FORM_MAX_BODY_BYTES, 97);
    const res = await send(post("/sync", body, { ...form, cookie }), settings);
    expect(res.status).toBe(413);
    expect(await res.text()).toContain("larger than the limit of 64 KiB");
    expect(counter.pulled).toBeLessThan(10);
  });
});
