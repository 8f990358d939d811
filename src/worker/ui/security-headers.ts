/**
 * Headers on every dashboard answer: a CSP that allows only this origin's own script and
 * stylesheet (no inline script or style, so no nonces or hashes), no framing, no referrer, and
 * pages that are never cached (they show who is signed in and a CSRF token).
 */
import type { MiddlewareHandler } from "hono";
import { secureHeaders } from "hono/secure-headers";

export function dashboardHeaders(): MiddlewareHandler {
  const headers = secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'none'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'"],
      connectSrc: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      baseUri: ["'none'"],
    },
    referrerPolicy: "no-referrer",
    xFrameOptions: "DENY",
    crossOriginOpenerPolicy: "same-origin",
    crossOriginResourcePolicy: "same-origin",
  });
  return async function dashboardSecurityHeaders(c, next) {
    await headers(c, next);
    if (!c.res.headers.has("Cache-Control")) c.header("Cache-Control", "no-store");
  };
}
