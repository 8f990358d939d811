import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { FlyApiError } from "../../../../src/errors";
import { createFlyClient } from "../../../../src/fly/client/fly-client";

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;
const servers: { close(): void }[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

/** A real HTTP server with scripted answers (the Fly simulator covers the API's behaviour). */
async function serve(handler: Handler) {
  const seen: { method: string; url: string; auth: string; body: string }[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      seen.push({ method: req.method!, url: req.url!, auth: String(req.headers.authorization), body });
      handler(req, body, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  servers.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { "content-type": "application/json", "fly-request-id": `req-${status}`, ...headers });
  res.end(JSON.stringify(body));
};
const quick = { pace: false as const, retry: { baseMs: 1, maxMs: 5 } };

describe("Fly HTTP client", () => {
  it("retries 429 (honouring Retry-After), 408 and 5xx, then succeeds", async () => {
    let n = 0;
    const { url, seen } = await serve((_req, _b, res) => {
      n++;
      if (n === 1) return json(res, 429, { error: "rate limited" }, { "retry-after": "0" });
      if (n === 2) return json(res, 503, { error: "busy" });
      if (n === 3) return json(res, 408, { error: "timeout" });
      return json(res, 200, { secrets: [{ name: "A", digest: "d", value: "never-read" }] });
    });
    const client = createFlyClient({ baseUrl: url, token: "fm2_secret", ...quick });
    expect(await client.listSecrets("shop")).toEqual([
      { name: "A", digest: "d", created_at: undefined, updated_at: undefined },
    ]);
    expect(seen.map((s) => s.url)).toEqual(Array(4).fill("/v1/apps/shop/secrets"));
    expect(seen[0]?.auth).toBe("FlyV1 fm2_secret");
  });

  it("fails with FlyApiError carrying status, Fly's error and status, and the request id; never the token", async () => {
    const { url } = await serve((_req, _b, res) =>
      json(res, 422, { error: "invalid config.guest", status: "unknown" }),
    );
    const client = createFlyClient({ baseUrl: url, token: "tok-very-secret", ...quick });
    const err = await client.updateMachine("shop", "m1", { config: { image: "x" } }).catch((e) => e);
    expect(err).toBeInstanceOf(FlyApiError);
    expect(err.code).toBe("fly_invalid");
    expect(err.data).toMatchObject({
      status: 422,
      error: "invalid config.guest",
      flyStatus: "unknown",
      requestId: "req-422",
    });
    expect(JSON.stringify({ m: err.message, d: err.data })).not.toContain("tok-very-secret");
  });

  it("gives up on persistent 5xx after the configured attempts", async () => {
    const { url, seen } = await serve((_req, _b, res) => json(res, 500, { error: "boom" }));
    const client = createFlyClient({
      baseUrl: url,
      token: "t",
      pace: false,
      retry: { attempts: 3, baseMs: 1, maxMs: 2 },
    });
    await expect(client.listVolumes("shop")).rejects.toMatchObject({ code: "fly_server_error", data: { status: 500 } });
    expect(seen).toHaveLength(3);
  });

  it("does not repeat a machine create that may have worked: it finds it by name instead", async () => {
    let creates = 0;
    const made = { id: "m1", name: "web-iad-1", state: "created" };
    const { url, seen } = await serve((req, _b, res) => {
      if (req.method === "POST") {
        creates++;
        return json(res, 502, { error: "bad gateway" }); // the machine was made; the answer was lost
      }
      return json(res, 200, [made]);
    });
    const client = createFlyClient({ baseUrl: url, token: "t", ...quick });
    const m = await client.createMachine("shop", { name: "web-iad-1", region: "iad", config: { image: "x" } });
    expect(m.id).toBe("m1");
    expect(creates).toBe(1);
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      "POST /v1/apps/shop/machines",
      "GET /v1/apps/shop/machines",
    ]);
  });

  it("finds a one-off machine the lost create made even when it already ran and was destroyed", async () => {
    let creates = 0;
    const { url, seen } = await serve((req, _b, res) => {
      if (req.method === "POST") {
        creates++;
        return json(res, 502, { error: "bad gateway" });
      }
      const deleted = req.url!.includes("include_deleted=true");
      return json(res, 200, deleted ? [{ id: "r1", name: "release-command-run1", state: "destroyed" }] : []);
    });
    const client = createFlyClient({ baseUrl: url, token: "t", ...quick });
    const body = { name: "release-command-run1", region: "iad", config: { image: "x" } };
    expect((await client.createMachine("shop", body, { oneOff: true })).id).toBe("r1");
    expect(creates).toBe(1);
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      "POST /v1/apps/shop/machines",
      "GET /v1/apps/shop/machines?include_deleted=true",
    ]);
  });

  it("sends a create of an unnamed machine once: there is no name to look for before a retry", async () => {
    const { url, seen } = await serve((_req, _b, res) => json(res, 502, { error: "bad gateway" }));
    const client = createFlyClient({ baseUrl: url, token: "t", ...quick });
    await expect(client.createMachine("shop", { region: "iad", config: { image: "x" } })).rejects.toMatchObject({
      code: "fly_server_error",
    });
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual(["POST /v1/apps/shop/machines"]);
  });

  it("reads both lease answer shapes and reports a network failure without the token", async () => {
    let flat = true;
    const { url } = await serve((_req, _b, res) => {
      const lease = { nonce: "n1", expires_at: 1, owner: "o", description: "d", version: "v" };
      json(res, flat ? 201 : 200, flat ? lease : { status: "success", data: lease });
      flat = !flat;
    });
    const client = createFlyClient({ baseUrl: url, token: "t", ...quick });
    expect((await client.acquireLease("a", "m", { ttl: 10 })).nonce).toBe("n1");
    expect((await client.acquireLease("a", "m", { ttl: 10 })).nonce).toBe("n1");
    const down = createFlyClient({
      baseUrl: "http://127.0.0.1:9",
      token: "tok-hidden",
      pace: false,
      retry: { attempts: 2, baseMs: 1, maxMs: 1 },
    });
    const err = await down.getApp("a").catch((e) => e);
    expect(err).toMatchObject({ code: "fly_unreachable", data: { status: 0 } });
    expect(JSON.stringify({ m: err.message, d: err.data })).not.toContain("tok-hidden");
  });

  it("paces actions on one machine to the configured rate", async () => {
    const { url } = await serve((_req, _b, res) => json(res, 200, {}));
    const client = createFlyClient({ baseUrl: url, token: "t", pace: { action: { perSecond: 20, burst: 2 } } });
    const started = Date.now();
    for (let i = 0; i < 4; i++) await client.startMachine("a", "m1");
    // Two from the burst, then one every 50 ms.
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
  });
});
