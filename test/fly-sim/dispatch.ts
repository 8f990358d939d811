/**
 * One /v1 request, in order: log it, find the operation, check auth, inject faults, apply rate
 * limits, check the query and body presence, run the handler, then maybe lose the answer.
 */
import { createHash } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import type { Reply, SimCore } from "./context";
import type { Faults, InjectedFailure } from "./faults";
import { SimHttpError } from "./http-error";
import type { RateLimiter } from "./rate-limit";
import type { RequestLog } from "./request-log";
import { type CompiledRoute, matchRoute } from "./router";

export interface DispatchDeps {
  core: SimCore;
  routes: CompiledRoute[];
  faults: Faults;
  limiter: RateLimiter;
  log: RequestLog;
  requestCounts: Record<string, number>;
  token?: string;
}

export interface V1Request {
  method: string;
  /** Full path with /v1 and query. */
  url: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
}

/** What to send back; `hang` means never answer. */
export type V1Outcome = Reply | { hang: true };

const MACAROON = /^(fm1r_|fm1a_|fm2_)/;

function authOwner(headers: IncomingHttpHeaders, token: string | undefined): string {
  const auth = headers.authorization ?? "";
  const [scheme = "", ...rest] = auth.split(" ");
  const value = rest.join(" ").trim();
  if (!value || (scheme !== "Bearer" && scheme !== "FlyV1"))
    throw new SimHttpError(401, "authorization required: Bearer <token> or FlyV1 <macaroon>");
  if (scheme === "Bearer" && MACAROON.test(value))
    throw new SimHttpError(401, "macaroon tokens (fm1r_, fm1a_, fm2_) must be sent as Authorization: FlyV1 <token>");
  if (token !== undefined && value.replace(/^FlyV1 /, "") !== token.replace(/^FlyV1 /, ""))
    throw new SimHttpError(401, "token not valid");
  return `user-${createHash("sha256").update(value).digest("hex").slice(0, 8)}@sim.fly.io`;
}

function parseJson(raw: string): { body: unknown; invalid: boolean } {
  if (raw.trim() === "") return { body: undefined, invalid: false };
  try {
    return { body: JSON.parse(raw), invalid: false };
  } catch {
    return { body: raw, invalid: true };
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function dispatchV1(deps: DispatchDeps, req: V1Request): Promise<V1Outcome> {
  const url = new URL(req.url, "http://sim");
  const path = url.pathname.replace(/^\/v1/, "") || "/";
  const { body, invalid } = parseJson(req.rawBody);
  const found = matchRoute(deps.routes, req.method, path);
  const match = typeof found === "object" ? found : undefined;
  const app = match?.params.app_name;
  const entry = {
    method: req.method,
    path: req.url,
    body: redactSecretValues(match?.route.operation, body),
    operation: match?.route.operation ?? null,
    at: Date.now(),
    ...(app ? { app } : {}),
  };
  deps.log.add(entry);
  const outcome = await run();
  if ("status" in outcome) Object.assign(entry, { status: outcome.status });
  return outcome;

  async function run(): Promise<V1Outcome> {
    try {
      if (found === "method") throw new SimHttpError(405, `method ${req.method} not allowed on ${path}`);
      if (!match) throw new SimHttpError(404, `no such operation: ${req.method} ${path}`);
      const { route, params } = match;
      const owner = authOwner(req.headers, deps.token);
      deps.requestCounts[route.operation] = (deps.requestCounts[route.operation] ?? 0) + 1;
      const fault = deps.faults.decide({
        operation: route.operation,
        method: req.method,
        path: req.url,
        ...(app ? { app } : {}),
      });
      if (fault.latencyMs > 0) await sleep(fault.latencyMs);
      if (fault.hang) return { hang: true };
      if (fault.failBefore) throw injected(deps, app, fault.failBefore);
      const key = params.machine_id ?? params.volume_id ?? app ?? "global";
      const wait = deps.limiter.take(route.operation, key);
      if (wait !== undefined) {
        if (app) deps.core.bump("rateLimited", app);
        throw new SimHttpError(429, `rate limit exceeded for ${route.operation}`, {
          "retry-after": String(Math.ceil(wait)),
        });
      }
      checkQuery(route, url.searchParams);
      if (invalid) throw new SimHttpError(400, "request body is not valid JSON");
      if (!route.body && body !== undefined) throw new SimHttpError(422, `${route.operation} takes no request body`);
      const reply = await route.handler({
        core: deps.core,
        params,
        query: url.searchParams,
        body,
        headers: req.headers,
        owner,
      });
      if (fault.failAfter) throw injected(deps, app, fault.failAfter);
      return reply;
    } catch (err) {
      if (!(err instanceof SimHttpError)) throw err;
      return { status: err.httpStatus, body: { error: err.message, status: "unknown" }, headers: err.headers };
    }
  }
}

function injected(deps: DispatchDeps, app: string | undefined, f: InjectedFailure) {
  if (app) deps.core.bump("faultsInjected", app);
  return new SimHttpError(f.status, f.message, f.status === 429 ? { "retry-after": String(f.retryAfterS ?? 1) } : {});
}

function checkQuery(route: CompiledRoute, query: URLSearchParams) {
  for (const name of new Set(query.keys()))
    if (!(route.query ?? []).includes(name))
      throw new SimHttpError(422, `query parameter "${name}" is not accepted by ${route.operation}`);
}

/** Like Fly's own logs, the request log keeps secret names, never values (the app's secrets hold them). */
function redactSecretValues(operation: string | undefined, body: unknown): unknown {
  if (typeof body !== "object" || body === null) return body;
  const fields = body as Record<string, unknown>;
  if (operation === "Secret_create" && typeof fields.value === "string") return { ...fields, value: "[redacted]" };
  if (operation !== "Secrets_update" || typeof fields.values !== "object" || fields.values === null) return body;
  const values = Object.entries(fields.values as Record<string, unknown>).map(([k, v]) => [
    k,
    v === null ? null : "[redacted]",
  ]);
  return { ...fields, values: Object.fromEntries(values) };
}
