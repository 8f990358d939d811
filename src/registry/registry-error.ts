/**
 * Registry failures with a `code` saying what to do: `unauthorized` (a login is missing or
 * refused: the operator's), `not_found` (the image or tag: the config's), `rate_limited` (wait
 * `retryAfterMs`), `too_large` (a limit of Tower's), `network`/`registry_error` (worth a retry
 * next tick). Messages name the image, never a token.
 */
import { RegistryError } from "../errors";

export type RegistryErrorCode =
  | "unauthorized"
  | "not_found"
  | "rate_limited"
  | "too_large"
  | "network"
  | "timeout"
  | "registry_error"
  | "insecure";

export function registryError(
  code: RegistryErrorCode,
  image: string,
  message: string,
  data: Record<string, unknown> = {},
): RegistryError {
  return new RegistryError(code, `${image}: ${message}`, { image, ...data });
}

/** The error for a refusal, reading Retry-After (seconds or an HTTP date) on a 429. */
export function statusError(image: string, res: Response, what: string, nowMs: number): RegistryError {
  const status = res.status;
  if (status === 401 || status === 403) {
    return registryError("unauthorized", image, `the registry refused access to ${what} (HTTP ${status})`, { status });
  }
  if (status === 404) return registryError("not_found", image, `${what} not found (HTTP 404)`, { status });
  if (status === 429) {
    const retryAfterMs = retryAfter(res.headers.get("retry-after"), nowMs);
    const wait = retryAfterMs === undefined ? "" : `; retry after ${Math.ceil(retryAfterMs / 1000)} s`;
    return registryError("rate_limited", image, `the registry is rate limiting (HTTP 429)${wait}`, {
      status,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
  }
  return registryError("registry_error", image, `the registry answered HTTP ${status} for ${what}`, { status });
}

export function retryAfter(header: string | null, nowMs: number): number | undefined {
  if (!header) return undefined;
  const text = header.trim();
  if (/^\d{1,7}$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}
