/**
 * Request bodies read within a byte limit, for every route that reads one: a declared
 * Content-Length over the limit is refused unread, and a body without one (chunked) or lying
 * about it is counted as it streams and cancelled at the first byte past the limit. The refusal
 * is 413 `payload_too_large` naming the limit, before any Durable Object hears of the request.
 */
import type { MiddlewareHandler } from "hono";
import { readWithin } from "../base/read-within";
import { RequestError } from "./errors";

/** JSON bodies of the API (`POST /api/images`, rollback): a few kilobytes in real use. */
export const API_MAX_BODY_BYTES = 1024 * 1024;
/** The dashboard's forms (sign-in, actions): a token, a CSRF token, a few fields. */
export const FORM_MAX_BODY_BYTES = 64 * 1024;

/** The whole body, or a payload_too_large RequestError; `what` names the request in it. */
export async function readBodyWithin(request: Request, maxBytes: number, what: string): Promise<Uint8Array> {
  const body = await readWithin(request.body, request.headers.get("Content-Length"), maxBytes);
  if (body === null) throw tooLarge(maxBytes, what);
  return body;
}

/**
 * Middleware: a request with a body has it read within `maxBytes` before the route runs, which
 * then parses the bytes already read (hono's json()/parseBody() read `c.req.raw`).
 */
export function bodyWithin(maxBytes: number): MiddlewareHandler {
  return async function bodyWithinLimit(c, next) {
    if (!c.req.raw.body) return next();
    const body = await readBodyWithin(c.req.raw, maxBytes, `${c.req.method} ${c.req.path}`);
    c.req.raw = new Request(c.req.raw, { body });
    return next();
  };
}

function tooLarge(maxBytes: number, what: string): RequestError {
  return new RequestError(
    "payload_too_large",
    `the body of ${what} is larger than the limit of ${size(maxBytes)} (${maxBytes} bytes)`,
    { maxBytes },
  );
}

function size(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${bytes / 1024 / 1024} MiB` : `${bytes / 1024} KiB`;
}
