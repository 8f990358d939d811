/**
 * The CLI's client of a running Tower's JSON API (docs/api.md): `TOWER_URL` (or --url) and
 * `TOWER_TOKEN` as the bearer token. Every failure becomes one sentence naming its cause: the URL
 * that did not answer, the token that was refused, the app Tower does not know.
 */
import { TowerError } from "../errors";
import type { Args } from "./args";
import { UsageError } from "./args";

/** The Tower API refused or could not be reached; `data.status` is the HTTP status (0: no answer). */
export class TowerApiError extends TowerError {}

export interface TowerApi {
  url: string;
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<T>;
}

export function towerApi(args: Args, env: NodeJS.ProcessEnv = process.env): TowerApi {
  const raw = typeof args.flags.url === "string" ? args.flags.url : env.TOWER_URL;
  if (!raw) throw new UsageError("TOWER_URL is not set: the address of your Tower Worker (or --url URL)");
  let url: string;
  try {
    url = new URL(raw).toString().replace(/\/+$/, "");
  } catch {
    throw new UsageError(`TOWER_URL is not a URL: ${raw}`);
  }
  const token = env.TOWER_TOKEN || undefined;
  async function call<T>(method: "GET" | "POST", path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: "application/json" };
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers["content-type"] = "application/json";
    let res: Response;
    try {
      res = await fetch(`${url}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
    } catch (e) {
      const cause = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).name;
      throw new TowerApiError("tower_unreachable", `cannot reach Tower at ${url} (TOWER_URL): ${cause}`, {
        status: 0,
        url,
      });
    }
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = undefined;
    }
    if (res.ok && parsed !== undefined) return parsed as T;
    throw refusal(method, path, res.status, parsed, !!token);
  }
  return { url, get: (path) => call("GET", path), post: (path, body) => call("POST", path, body) };
}

function refusal(method: string, path: string, status: number, body: unknown, hadToken: boolean): TowerApiError {
  const error = (body as { error?: { code?: string; message?: string } } | null)?.error;
  const said = error?.message ? `: ${error.message}` : "";
  const data = { status, method, path, code: error?.code ?? null };
  const admin = method === "POST";
  if (status === 401) {
    const needs = admin ? "ADMIN_TOKEN" : "API_TOKEN or ADMIN_TOKEN";
    const message = hadToken
      ? `Tower refused TOWER_TOKEN on ${method} ${path} (it needs the Worker's ${needs})`
      : `TOWER_TOKEN is not set: ${method} ${path} needs the Worker's ${needs}`;
    return new TowerApiError("tower_unauthorized", message, data);
  }
  if (status === 404 && error?.code === "unknown_app")
    return new TowerApiError(
      "unknown_app",
      `Tower has no app ${appOf(path)} in its config (tower status lists them)`,
      data,
    );
  if (status === 404 && error?.code === "unknown_deploy")
    return new TowerApiError("unknown_deploy", `Tower answered ${method} ${path} with 404${said}`, data);
  if (status === 404 || status === 405)
    return new TowerApiError(
      "tower_no_route",
      `Tower answered ${method} ${path} with ${status}: this Tower does not have that route (an older version?)`,
      data,
    );
  if (status === 503) return new TowerApiError("tower_not_configured", `Tower cannot serve ${path}${said}`, data);
  if (status === 200 || status === 202)
    return new TowerApiError("tower_bad_answer", `Tower answered ${method} ${path} with something not JSON`, data);
  return new TowerApiError("tower_refused", `Tower answered ${method} ${path} with ${status}${said}`, data);
}

function appOf(path: string): string {
  return decodeURIComponent(/^\/api\/apps\/([^/]+)/.exec(path)?.[1] ?? "?");
}

export const appPath = (app: string, rest = "") => `/api/apps/${encodeURIComponent(app)}${rest}`;
