/**
 * The dashboard (`/`, `/apps/...`, `/sign-in`, `/ui/...`): server-rendered pages over the same
 * Durable Object reads as the JSON API, a session cookie for sign-in, admin actions that go
 * through the API's own routes. This file only wires the parts.
 */
import { Hono, type MiddlewareHandler } from "hono";
import { TowerError } from "../../errors";
import { statusFor } from "../errors";
import { bodyWithin, FORM_MAX_BODY_BYTES } from "../read-body";
import { type ApiRequest, registerActions } from "./action-routes";
import { ASSETS } from "./assets/assets";
import { registerLive } from "./live-routes";
import { registerPages } from "./page-routes";
import { MessagePage } from "./pages/layout";
import { dashboardHeaders } from "./security-headers";
import { registerSignIn } from "./sign-in-routes";
import { canRead, readViewer, type UiEnv } from "./viewer";

/** Where the dashboard answers. */
const PATHS = ["/", "/apps/*", "/sign-in", "/sign-out", "/sync", "/ui/*"];

export interface DashboardApi {
  request: ApiRequest;
  /** The API's routes, to offer only the actions it has (`POST /apps/:app/rollback`, …). */
  routes: readonly { method: string; path: string }[];
}

export function createUi(api: DashboardApi, now: () => number = Date.now) {
  const ui = new Hono<UiEnv>();
  const available = (path: string) => api.routes.some((route) => route.method === "POST" && route.path === path);
  // Only the dashboard's own paths: /api, /webhook and unknown paths keep their JSON answers.
  const use = (...handlers: MiddlewareHandler<UiEnv>[]) => {
    for (const path of PATHS) ui.use(path, ...handlers);
  };
  use(dashboardHeaders());
  for (const asset of ASSETS)
    ui.get(asset.path, (c) =>
      c.body(asset.body, 200, { "Content-Type": asset.type, "Cache-Control": "public, max-age=31536000, immutable" }),
    );
  use(readViewer(now));
  use(async function sameOriginPosts(c, next) {
    // Besides SameSite=Strict and the CSRF token: a browser says where a form POST comes from.
    // (Origin is "null" on our own forms: pages are served with Referrer-Policy no-referrer.)
    const site = c.req.header("Sec-Fetch-Site");
    const origin = c.req.header("Origin");
    const foreign =
      site === "cross-site" ||
      site === "same-site" ||
      (!!origin && origin !== "null" && origin !== new URL(c.req.url).origin);
    if (c.req.method === "POST" && foreign)
      return c.text("cross-site POST refused: this form belongs to another site", 403);
    return next();
  });
  use(bodyWithin(FORM_MAX_BODY_BYTES));
  registerSignIn(ui, now);
  use(async function readersOnly(c, next) {
    if (c.req.method === "POST" || canRead(c.get("viewer"))) return next();
    if (c.req.path.startsWith("/ui/live"))
      return c.json({ error: { code: "unauthorized", message: "sign in to follow the live tail" } }, 401);
    return c.redirect(`/sign-in?next=${encodeURIComponent(c.req.path)}`, 303);
  });
  registerPages(ui, { rollback: available("/apps/:app/rollback"), unpin: available("/apps/:app/unpin") }, now);
  registerLive(ui);
  registerActions(ui, api.request, available);
  ui.onError((err, c) => {
    const code = err instanceof TowerError ? err.code : "internal";
    const status = err instanceof TowerError ? statusFor(code) : 500;
    if (status >= 500) console.error(`tower: dashboard ${code} on ${c.req.method} ${c.req.path}: ${err.message}`);
    const message = err instanceof TowerError && status < 500 ? err.message : "Something went wrong on Tower's side.";
    if (c.req.path.startsWith("/ui/live")) return c.json({ error: { code, message } }, status);
    const viewer = c.get("viewer") ?? { access: null, session: null, csrf: null };
    return c.html(
      <MessagePage viewer={viewer} title={status === 404 ? "Not found" : "Error"} message={message} error />,
      status,
    );
  });
  return ui;
}
