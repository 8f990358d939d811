import { Hono } from "hono";
import { VERSION } from "../version";
import type { TowerEnv } from "./env";

/** The Worker's HTTP surface. Routes are added by later modules; this file only wires them. */
export function createApp() {
  const app = new Hono<{ Bindings: TowerEnv }>();
  app.get("/healthz", (c) => c.json({ ok: true, name: "tower", version: VERSION }));
  app.notFound((c) =>
    c.json({ error: { code: "not_found", message: `no route for ${c.req.method} ${c.req.path}` } }, 404),
  );
  return app;
}
