/**
 * Who is looking: the signed-in session (read or admin), an anonymous reader when PUBLIC_API is
 * "true" (read-only pages, never actions), or nobody. Set once per request by `readViewer`.
 */
import type { MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import type { TowerEnv } from "../../env";
import { csrfToken, readSession, SESSION_COOKIE, type Session, sessionKey } from "./session";

export interface Viewer {
  access: "admin" | "read" | "public" | null;
  session: Session | null;
  /** The CSRF token forms must carry; null without a session. */
  csrf: string | null;
}

export type UiEnv = { Bindings: TowerEnv; Variables: { viewer: Viewer; sessionKey: CryptoKey | null } };

export function readViewer(now: () => number = Date.now): MiddlewareHandler<UiEnv> {
  return async function viewerFromCookie(c, next) {
    const key = await sessionKey(c.env);
    const session = key ? await readSession(key, getCookie(c, SESSION_COOKIE), now()) : null;
    const access = session?.access ?? (c.env.PUBLIC_API === "true" ? "public" : null);
    c.set("sessionKey", key);
    c.set("viewer", { access, session, csrf: key && session ? await csrfToken(key, session) : null });
    return next();
  };
}

export const canRead = (viewer: Viewer) => viewer.access !== null;
export const isAdmin = (viewer: Viewer) => viewer.access === "admin";
