/**
 * The JSON API under /api: CORS for reads, bearer tokens (reads: API_TOKEN unless PUBLIC_API;
 * writes: ADMIN_TOKEN), schema-first routes, its own OpenAPI description at /api/openapi.json,
 * and 405 for a known path asked with the wrong method.
 */
import { OpenAPIHono } from "@hono/zod-openapi";
import { cors } from "hono/cors";
import type { TowerEnv } from "../../env";
import { VERSION } from "../../version";
import { requireToken } from "../auth";
import { methodNotAllowed, RequestError } from "../errors";
import { API_MAX_BODY_BYTES, bodyWithin } from "../read-body";
import { registerAdminRoutes } from "./admin-routes";
import { countDoCalls } from "./do-calls";
import { registerReadRoutes } from "./read-routes";
import { registerWaveRoutes } from "./wave-routes";

const READ_PATHS = [
  "/apps",
  "/apps/:app",
  "/apps/:app/deploys",
  "/apps/:app/deploys/:id",
  "/apps/:app/events",
  "/events",
  "/config",
  "/waves",
  "/openapi.json",
];
const WRITE_PATHS = ["/apps/:app/sync", "/apps/:app/rollback", "/apps/:app/unpin", "/sync", "/waves/:wave/promote"];
/** CI's own writes: CI_TOKEN only. */
const CI_PATHS = ["/images"];

export function createApi() {
  const api = new OpenAPIHono<{ Bindings: TowerEnv }>({
    defaultHook(result) {
      if (result.success) return;
      const issue = result.error.issues[0]!;
      const field = issue.path.join(".") || "(all)";
      throw new RequestError("invalid_query", `${result.target} ${field}: ${issue.message}`, { field });
    },
  });
  api.use("/*", countDoCalls);
  api.use("/*", cors({ origin: "*", allowMethods: ["GET", "HEAD", "OPTIONS"], allowHeaders: ["Authorization"] }));
  api.use("/*", async (c, next) => {
    if (c.req.path.endsWith("/openapi.json")) return next();
    if (c.req.method === "GET" || c.req.method === "HEAD") return requireToken("read")(c, next);
    if (c.req.method === "POST" && WRITE_PATHS.some((p) => matches(p, c.req.path)))
      return requireToken("admin")(c, next);
    if (c.req.method === "POST" && CI_PATHS.some((p) => matches(p, c.req.path))) return requireToken("ci")(c, next);
    return next();
  });
  // After the tokens: a caller without one is refused before its body is read.
  api.use("/*", bodyWithin(API_MAX_BODY_BYTES));
  registerReadRoutes(api);
  registerAdminRoutes(api);
  registerWaveRoutes(api);
  api.openAPIRegistry.registerComponent("securitySchemes", "apiToken", {
    type: "http",
    scheme: "bearer",
    description: "API_TOKEN (or ADMIN_TOKEN); not needed when PUBLIC_API=true",
  });
  api.openAPIRegistry.registerComponent("securitySchemes", "adminToken", {
    type: "http",
    scheme: "bearer",
    description: "ADMIN_TOKEN",
  });
  api.openAPIRegistry.registerComponent("securitySchemes", "ciToken", {
    type: "http",
    scheme: "bearer",
    description: "CI_TOKEN",
  });
  api.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: { title: "Tower API", version: VERSION, description: "Read-only deploy history of Tower, GitOps for Fly.io" },
    servers: [{ url: "/api" }],
  });
  for (const path of READ_PATHS) api.all(path, methodNotAllowed(["GET", "HEAD"]));
  for (const path of WRITE_PATHS) api.all(path, methodNotAllowed(["POST"]));
  return api;
}

/** Whether a request path (under /api) matches a route pattern with `:params`. */
function matches(pattern: string, path: string): boolean {
  const relative = path.replace(/^\/api/, "");
  const regex = new RegExp(`^${pattern.replace(/:[a-z]+/g, "[^/]+")}/?$`);
  return regex.test(relative);
}
