/**
 * The registry token flow (Docker's "token authentication specification", used by Docker Hub,
 * GHCR, GCR, Quay, GitLab, Fly): a request without a token is answered 401 with
 * `WWW-Authenticate: Bearer realm="…",service="…",scope="…"`; a GET of the realm with those
 * parameters (with a basic login for private images, anonymous otherwise) gives a token for
 * that scope. Some registries (and Fly's, for builds) take basic auth directly instead.
 */
export type Challenge =
  | { scheme: "bearer"; realm: string; service?: string; scope?: string }
  | { scheme: "basic"; realm?: string };

const MAX_HEADER = 2048;

export function parseChallenge(header: string | null): Challenge | undefined {
  if (!header || header.length > MAX_HEADER) return undefined;
  const scheme = /^\s*(\w+)\s*/.exec(header);
  if (!scheme?.[1]) return undefined;
  const params: Record<string, string> = {};
  // Linear: quoted values hold no quotes (registries do not escape inside them).
  for (const m of header.slice(scheme[0].length).matchAll(/(\w+)="([^"]*)"/g)) {
    if (m[1]) params[m[1].toLowerCase()] = m[2] ?? "";
  }
  const kind = scheme[1].toLowerCase();
  if (kind === "basic") return { scheme: "basic", ...(params.realm ? { realm: params.realm } : {}) };
  if (kind !== "bearer" || !params.realm) return undefined;
  return {
    scheme: "bearer",
    realm: params.realm,
    ...(params.service ? { service: params.service } : {}),
    ...(params.scope ? { scope: params.scope } : {}),
  };
}

/** The token URL: the realm with `service` and `scope` (the scope Tower needs: pull). */
export function tokenUrl(challenge: Extract<Challenge, { scheme: "bearer" }>, repository: string): URL {
  const url = new URL(challenge.realm);
  if (challenge.service) url.searchParams.set("service", challenge.service);
  url.searchParams.set("scope", challenge.scope ?? `repository:${repository}:pull`);
  return url;
}
