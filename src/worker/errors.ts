/**
 * How the Worker answers a refusal: one error class for requests Tower turns down, one table from
 * error codes to HTTP statuses, one hono `onError`. Every error body is
 * `{"error": {"code", "message"}}`; messages never carry secrets, tokens or signatures.
 */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { TowerError } from "../errors";

/** A request Tower refuses; `code` decides the status (see STATUS_BY_CODE). */
export class RequestError extends TowerError {}

/** Every code a refusal may carry, with its HTTP status. Codes not listed answer 500. */
export const STATUS_BY_CODE: Readonly<Record<string, ContentfulStatusCode>> = {
  bad_request: 400,
  invalid_json: 400,
  invalid_payload: 400,
  invalid_query: 400,
  invalid_url: 400,
  missing_delivery_id: 400,
  unauthorized: 401,
  missing_signature: 401,
  bad_signature: 401,
  forbidden: 403,
  not_found: 404,
  unknown_app: 404,
  unknown_deploy: 404,
  method_not_allowed: 405,
  not_restorable: 409,
  payload_too_large: 413,
  api_not_configured: 503,
  webhook_not_configured: 503,
  record_failed: 503,
};

export function statusFor(code: string): ContentfulStatusCode {
  return STATUS_BY_CODE[code] ?? 500;
}

export function errorBody(code: string, message: string) {
  return { error: { code, message } };
}

/** Answers a thrown error as JSON. Unknown errors become a bare 500 so nothing internal leaks. */
export function onError(err: Error, c: Context): Response {
  if (err instanceof TowerError) {
    const status = statusFor(err.code);
    if (status >= 500) console.error(`tower: ${err.name} ${err.code}: ${err.message}`);
    return c.json(errorBody(err.code, err.message), status);
  }
  console.error(`tower: unhandled ${err.name} on ${c.req.method} ${c.req.path}`);
  return c.json(errorBody("internal", "internal error"), 500);
}

export function methodNotAllowed(allowed: string[]) {
  return function methodNotAllowedHandler(c: Context): Response {
    c.header("Allow", allowed.join(", "));
    return c.json(
      errorBody(
        "method_not_allowed",
        `${c.req.method} is not allowed on ${c.req.path} (allowed: ${allowed.join(", ")})`,
      ),
      405,
    );
  };
}
