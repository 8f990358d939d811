import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ErrorSchema } from "../../../src/worker/api/schemas";
import { send } from "../webhook/deliver";

const API_TOKEN = "api-token-3c9e11";
const ADMIN_TOKEN = "admin-token-77d0a2";
const tokens = { API_TOKEN, ADMIN_TOKEN, PUBLIC_API: "false" };
const get = (path: string, headers: Record<string, string> = {}) =>
  new Request(`https://tower.test${path}`, { headers });

let quiet: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  quiet = vi.spyOn(console, "error").mockImplementation(() => {});
});
afterEach(() => quiet.mockRestore());

async function refusal(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  const body = ErrorSchema.parse(await res.json());
  expect(body.error.code).toBe(code);
  return body.error.message;
}

describe("API auth", () => {
  it("refuses reads without a bearer token", async () => {
    const res = await send(get("/api/apps"), tokens);
    expect(res.headers.get("www-authenticate")).toContain("Bearer");
    await refusal(res, 401, "unauthorized");
  });

  it("refuses a wrong token without echoing it or the real one", async () => {
    const res = await send(get("/api/config", { authorization: "Bearer not-the-token" }), tokens);
    const message = await refusal(res, 401, "unauthorized");
    expect(message).not.toContain("not-the-token");
    expect(message).not.toContain(API_TOKEN);
  });

  it("refuses reads with 503 when API_TOKEN is not configured and the API is not public", async () => {
    const res = await send(get("/api/apps", { authorization: "Bearer anything" }), { PUBLIC_API: "false" });
    expect(await refusal(res, 503, "api_not_configured")).toContain("API_TOKEN");
  });

  it("refuses admin writes with the read token, and without ADMIN_TOKEN configured", async () => {
    const post = (headers: Record<string, string>) =>
      new Request("https://tower.test/api/sync", { method: "POST", headers });
    await refusal(await send(post({ authorization: `Bearer ${API_TOKEN}` }), tokens), 401, "unauthorized");
    await refusal(await send(post({}), { ...tokens, PUBLIC_API: "true" }), 401, "unauthorized");
    await refusal(await send(post({ authorization: "Bearer x" }), { API_TOKEN }), 503, "api_not_configured");
  });

  it("answers wrong methods on known paths 405, unknown paths 404", async () => {
    const put = new Request("https://tower.test/api/apps", {
      method: "PUT",
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    const res = await send(put, tokens);
    expect(res.headers.get("allow")).toBe("GET, HEAD");
    await refusal(res, 405, "method_not_allowed");
    await refusal(
      await send(get("/api/sync", { authorization: `Bearer ${ADMIN_TOKEN}` }), tokens),
      405,
      "method_not_allowed",
    );
    await refusal(await send(get("/api/nope", { authorization: `Bearer ${API_TOKEN}` }), tokens), 404, "not_found");
  });

  it("answers CORS preflight for GET only", async () => {
    const res = await send(
      new Request("https://tower.test/api/apps", {
        method: "OPTIONS",
        headers: { origin: "https://example.com", "access-control-request-method": "GET" },
      }),
      tokens,
    );
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("access-control-allow-methods")).toBe("GET,HEAD,OPTIONS");
  });

  it("serves its OpenAPI description without a token", async () => {
    const res = await send(get("/api/openapi.json"), tokens);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as {
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
      components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
    };
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths).sort()).toEqual([
      "/apps",
      "/apps/{app}",
      "/apps/{app}/deploys",
      "/apps/{app}/deploys/{id}",
      "/apps/{app}/events",
      "/apps/{app}/rollback",
      "/apps/{app}/sync",
      "/apps/{app}/unpin",
      "/config",
      "/events",
      "/images",
      "/sync",
      "/waves",
      "/waves/{wave}/promote",
    ]);
    expect(Object.keys(doc.paths["/images"]!).sort()).toEqual(["get", "post"]);
    expect(Object.keys(doc.paths["/sync"]!)).toEqual(["post"]);
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining(["AppSummary", "DeploySummary", "DeployDetail", "StoredEvent", "ConfigStatus", "Error"]),
    );
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(["adminToken", "apiToken", "ciToken"]);
  });
});
