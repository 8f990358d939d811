/**
 * Sign-in and sign-out. A token typed into the form becomes a signed session cookie (HttpOnly,
 * Secure, SameSite=Strict, `__Host-`), never stored in the page or in script reach. The admin
 * token gives an admin session; the API token a read-only one.
 */
import type { Hono } from "hono";
import { deleteCookie, setCookie } from "hono/cookie";
import { matchesAnySecret } from "../auth";
import { MessagePage } from "./pages/layout";
import { SignInPage } from "./pages/sign-in-page";
import { checkCsrf, newSession, SESSION_COOKIE, SESSION_TTL_MS, signSession } from "./session";
import type { UiEnv } from "./viewer";

const COOKIE = { httpOnly: true, secure: true, sameSite: "Strict", path: "/" } as const;

/** Only a path of this site: an open redirect would make the sign-in page a phishing aid. */
export function safeNext(next: unknown): string {
  return typeof next === "string" && /^\/(?![/\\])[^\s\\]*$/.test(next) ? next : "/";
}

export function registerSignIn(ui: Hono<UiEnv>, now: () => number): void {
  ui.get("/sign-in", (c) => c.html(<SignInPage viewer={c.get("viewer")} next={safeNext(c.req.query("next"))} />));

  ui.post("/sign-in", async (c) => {
    const form = await c.req.parseBody();
    const next = safeNext(form.next);
    const key = c.get("sessionKey");
    const viewer = c.get("viewer");
    if (!key) {
      const message = "Neither API_TOKEN nor ADMIN_TOKEN is set: set one with wrangler secret put.";
      return c.html(<SignInPage viewer={viewer} next={next} error={message} />, 503);
    }
    const token = typeof form.token === "string" ? form.token : "";
    const given = (name: string | undefined) => (name ? [name] : []);
    const access =
      token === ""
        ? null
        : (await matchesAnySecret(token, given(c.env.ADMIN_TOKEN)))
          ? "admin"
          : (await matchesAnySecret(token, given(c.env.API_TOKEN)))
            ? "read"
            : null;
    if (access === null) {
      const message = "That token is neither the API token nor the admin token.";
      return c.html(<SignInPage viewer={viewer} next={next} error={message} />, 401);
    }
    const value = await signSession(key, newSession(access, now()));
    setCookie(c, SESSION_COOKIE, value, { ...COOKIE, maxAge: SESSION_TTL_MS / 1000 });
    return c.redirect(next, 303);
  });

  ui.post("/sign-out", async (c) => {
    const { session } = c.get("viewer");
    const key = c.get("sessionKey");
    if (session && key && !(await checkCsrf(key, session, (await c.req.parseBody()).csrf))) {
      const message = "The form's CSRF token is missing or wrong: reload the page and try again.";
      return c.html(<MessagePage viewer={c.get("viewer")} title="Refused" message={message} error />, 403);
    }
    deleteCookie(c, SESSION_COOKIE, COOKIE);
    return c.redirect("/", 303);
  });
}
