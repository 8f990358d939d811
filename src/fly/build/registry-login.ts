/**
 * The registry password for a Fly token, in the form fly-go's `Tokens.Docker()` (tokens/tokens.go)
 * produces: any `FlyV1 ` / `Bearer ` scheme stripped, the comma-separated parts split, and only
 * the macaroons (`fm1r_`, `fm1a_`, `fm2_`) kept when there are any — else the other tokens —
 * joined with commas, without a scheme. The user is `x`.
 */
export function registryPassword(token: string): string {
  const parts = stripScheme(token)
    .split(",")
    .map((t) => t.trim())
    .filter((t) => t !== "");
  const macaroons = parts.filter((t) => /^(fm1r|fm1a|fm2)_/.test(t));
  return (macaroons.length > 0 ? macaroons : parts).join(",");
}

/** fly-go `StripAuthorizationScheme`: any number of leading `Bearer ` / `FlyV1 ` (any case). */
function stripScheme(token: string): string {
  let t = token.trim();
  for (;;) {
    const m = /^(bearer|flyv1)\s+(.*)$/is.exec(t);
    if (!m) return t;
    t = m[2]!.trim();
  }
}

/** `user:password` for HTTP Basic and Docker's config.json `auth`. */
export function registryLogin(token: string): string {
  return `x:${registryPassword(token)}`;
}
