/**
 * Fly's auth header rule: macaroon tokens (`fm1r_`, `fm1a_`, `fm2_`, e.g. from `fly tokens create
 * deploy`) go as `FlyV1 <token>`, tokens already printed with the `FlyV1 ` prefix are sent as they
 * are, anything else is a Bearer token.
 */
export function authHeader(token: string): string {
  const t = token.trim();
  if (t.startsWith("FlyV1 ")) return t;
  if (/^(fm1r_|fm1a_|fm2_)/.test(t)) return `FlyV1 ${t}`;
  return `Bearer ${t}`;
}

/** `FLY_API_BASE` (default https://api.machines.dev) with the `/v1` prefix appended once. */
export function apiBase(base: string | undefined): string {
  const b = (base || "https://api.machines.dev").replace(/\/+$/, "");
  return b.endsWith("/v1") ? b : `${b}/v1`;
}
