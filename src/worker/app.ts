import { Hono } from "hono";
import { appStub, benchProjectStub } from "../durable/stubs";
import type { TowerEnv } from "../env";
import { VERSION } from "../version";
import { createApi } from "./api/create-api";
import { onError } from "./errors";
import { createUi } from "./ui/create-ui";
import { webhookRoutes } from "./webhook/route";

/** The Worker's HTTP surface: health, webhooks, the JSON API and the dashboard. This file only wires them. */
export function createApp() {
  const app = new Hono<{ Bindings: TowerEnv }>();
  app.get("/healthz", (c) => c.json({ ok: true, name: "tower", version: VERSION }));
  app.route("/webhook", webhookRoutes());
  const api = createApi();
  app.route("/api", api);
  app.route(
    "/",
    createUi({ request: (path, init, env, ctx) => api.request(path, init, env, ctx), routes: api.routes }),
  );
  // Benches only (TEST_HOOKS, never set in production): seed or wake one AppDO's or ProjectDO's history.
  app.post("/__test/apps/:app/history", async (c) => {
    if (c.env.TEST_HOOKS !== "true") return c.notFound();
    const deploys = Number(c.req.query("deploys") ?? "0");
    const from = c.req.query("from");
    const options = { alarm: c.req.query("alarm") === "1", ...(from ? { from } : {}) };
    return c.json(await appStub(c.env, c.req.param("app")).testHistory(c.req.param("app"), deploys, options));
  });
  app.post("/__test/projects/:name/history", async (c) => {
    if (c.env.TEST_HOOKS !== "true") return c.notFound();
    const pushes = Number(c.req.query("pushes") ?? "0");
    const from = c.req.query("from");
    const options = { alarm: c.req.query("alarm") === "1", ...(from ? { from } : {}) };
    return c.json(await benchProjectStub(c.env, c.req.param("name")).testHistory(pushes, options));
  });
  app.onError(onError);
  app.notFound((c) =>
    c.json({ error: { code: "not_found", message: `no route for ${c.req.method} ${c.req.path}` } }, 404),
  );
  return app;
}
