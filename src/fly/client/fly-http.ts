import { FlyApiError } from "../../errors";
import { apiBase, authHeader } from "./auth-header";
import { backoffMs, defaultRetry, isTransientStatus, type RetryPolicy } from "./retry-policy";
import { createPacer, noPacer, type Pacer, type PacerOptions } from "./token-bucket";

export interface FlyClientOptions {
  /** `FLY_API_BASE` (default https://api.machines.dev); `/v1` is appended. */
  baseUrl?: string;
  token: string;
  fetch?: typeof fetch;
  /** Token-bucket pacing per app/machine action; `false` turns it off. */
  pace?: PacerOptions | false;
  retry?: Partial<RetryPolicy>;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Called once per HTTP exchange (never with the token): for logs and metrics. */
  onExchange?: (e: { method: string; path: string; status: number; requestId: string | null; ms: number }) => void;
}

export interface FlyRequest {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
  /** Pacing bucket, e.g. `app:web:create_machine` or `machine:123:update`. */
  pace?: { key: string; rate: "action" | "machineRead" };
  /** `false` for calls that must not be repeated blindly (the caller looks first). */
  retry?: boolean;
  /** Statuses that are answers, not errors (e.g. 404 for "look before create"). */
  accept?: number[];
}

export interface FlyResponse<T> {
  status: number;
  body: T;
  requestId: string | null;
}

export interface FlyHttp {
  request<T>(req: FlyRequest): Promise<FlyResponse<T>>;
  /**
   * A non-idempotent create: sent once per attempt; before each retry `lookup` searches for what
   * the failed attempt may have made, and a find ends the loop.
   */
  create<T>(req: FlyRequest, lookup: () => Promise<T | null>): Promise<T>;
}

export function createFlyHttp(options: FlyClientOptions): FlyHttp {
  const base = apiBase(options.baseUrl);
  const auth = authHeader(options.token);
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const random = options.random ?? Math.random;
  const policy = { ...defaultRetry, ...options.retry };
  const pacer: Pacer = options.pace === false ? noPacer : createPacer({ ...options.pace, sleep });

  async function once<T>(req: FlyRequest): Promise<FlyResponse<T> | FlyApiError> {
    if (req.pace) await pacer.take(req.pace.key, req.pace.rate);
    const url = base + req.path + queryString(req.query);
    const started = Date.now();
    let res: Response;
    try {
      res = await doFetch(url, {
        method: req.method,
        headers: {
          authorization: auth,
          accept: "application/json",
          ...(req.body === undefined ? {} : { "content-type": "application/json" }),
          ...req.headers,
        },
        body: req.body === undefined ? undefined : JSON.stringify(req.body),
      });
    } catch (err) {
      // The message of a network error names the host at most; never the token.
      return flyError(req, 0, null, { error: String((err as Error)?.message ?? err) }, null);
    }
    const requestId = res.headers.get("fly-request-id");
    const text = await res.text();
    options.onExchange?.({
      method: req.method,
      path: req.path,
      status: res.status,
      requestId,
      ms: Date.now() - started,
    });
    const parsed = parseJson(text);
    if (res.ok || req.accept?.includes(res.status)) return { status: res.status, body: parsed as T, requestId };
    return flyError(req, res.status, requestId, parsed, res.headers.get("retry-after"));
  }

  async function request<T>(req: FlyRequest): Promise<FlyResponse<T>> {
    const attempts = req.retry === false ? 1 : policy.attempts;
    for (let attempt = 0; ; attempt++) {
      const r = await once<T>(req);
      if (!(r instanceof FlyApiError)) return r;
      if (attempt + 1 >= attempts || !isTransientStatus(r.data.status as number)) throw r;
      const wait = backoffMs(policy, attempt, random, r.data.retryAfter as string | null);
      if (wait > policy.maxSleepMs) throw r;
      await sleep(wait);
    }
  }

  async function create<T>(req: FlyRequest, lookup: () => Promise<T | null>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const r = await once<T>(req);
      if (!(r instanceof FlyApiError)) return r.body;
      // 429 means the request was refused before doing anything; other failures may hide a success.
      const status = r.data.status as number;
      if (attempt + 1 >= policy.attempts || !isTransientStatus(status)) throw r;
      const wait = backoffMs(policy, attempt, random, r.data.retryAfter as string | null);
      if (wait > policy.maxSleepMs) throw r;
      await sleep(wait);
      if (status !== 429) {
        const found = await lookup();
        if (found) return found;
      }
    }
  }

  return { request, create };
}

function queryString(q: FlyRequest["query"]): string {
  if (!q) return "";
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined) p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : "";
}

function parseJson(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

const codes: Record<number, string> = {
  0: "fly_unreachable",
  400: "fly_bad_request",
  401: "fly_unauthorized",
  403: "fly_forbidden",
  404: "fly_not_found",
  408: "fly_timeout",
  409: "fly_conflict",
  412: "fly_precondition_failed",
  422: "fly_invalid",
  429: "fly_rate_limited",
};

function flyError(req: FlyRequest, status: number, requestId: string | null, body: unknown, retryAfter: string | null) {
  const b = (body && typeof body === "object" ? body : { error: typeof body === "string" ? body : "" }) as {
    error?: string;
    status?: string;
  };
  const code = codes[status] ?? (status >= 500 ? "fly_server_error" : "fly_http_error");
  const where = `${req.method} ${req.path}`;
  const text = b.error ? `: ${String(b.error).slice(0, 300)}` : "";
  return new FlyApiError(code, `Fly API ${where} answered ${status || "no response"}${text}`, {
    status,
    error: b.error ?? null,
    flyStatus: b.status ?? null,
    requestId,
    method: req.method,
    path: req.path,
    retryAfter,
  });
}
