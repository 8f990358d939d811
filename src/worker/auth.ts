/**
 * Bearer-token checks for the JSON API. Reads need API_TOKEN (or ADMIN_TOKEN) unless PUBLIC_API is
 * "true"; writes always need ADMIN_TOKEN. Tokens are compared in constant time, and an unset token
 * refuses everything rather than letting anyone in.
 */
import type { MiddlewareHandler } from "hono";
import type { TowerEnv } from "../env";
import { RequestError } from "./errors";

const encoder = new TextEncoder();

/**
 * Constant-time string equality. Both sides are hashed first so the comparison time depends on
 * neither the length nor the content of the secret.
 */
export async function secretsEqual(given: string, expected: string): Promise<boolean> {
  const [a, b] = await Promise.all([digest(given), digest(expected)]);
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** True when `given` equals any of `expected` (checked against every one, in constant time each). */
export async function matchesAnySecret(given: string, expected: string[]): Promise<boolean> {
  const results = await Promise.all(expected.map((secret) => secretsEqual(given, secret)));
  return results.includes(true);
}

async function digest(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
}

/** The token of an `Authorization: Bearer <token>` header, or null. */
export function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? "");
  return match?.[1] ?? null;
}

export type Access = "read" | "admin";
/** `ci`: CI_TOKEN alone (announcing images); CI never holds the admin token, nor signs in. */
type TokenAccess = Access | "ci";

const TOKEN_NAMES: Record<TokenAccess, string> = {
  read: "API_TOKEN or ADMIN_TOKEN",
  admin: "ADMIN_TOKEN",
  ci: "CI_TOKEN",
};

/** Middleware: refuses the request unless its bearer token grants `access`. */
export function requireToken(
  access: TokenAccess | ((method: string) => Access),
): MiddlewareHandler<{ Bindings: TowerEnv }> {
  return async function tokenAuth(c, next) {
    const needed = typeof access === "function" ? access(c.req.method) : access;
    const env = c.env;
    if (needed === "read" && env.PUBLIC_API === "true") return next();
    const tokens = { read: [env.API_TOKEN, env.ADMIN_TOKEN], admin: [env.ADMIN_TOKEN], ci: [env.CI_TOKEN] }[needed];
    const accepted = tokens.filter((token): token is string => typeof token === "string" && token !== "");
    if (accepted.length === 0) {
      const name = needed === "read" ? "API_TOKEN" : TOKEN_NAMES[needed];
      const hint = needed === "read" ? " (or PUBLIC_API=true for open reads)" : "";
      throw new RequestError("api_not_configured", `${name} is not set: set it with wrangler secret put${hint}`);
    }
    const given = bearerToken(c.req.header("Authorization"));
    if (given === null) {
      c.header("WWW-Authenticate", 'Bearer realm="tower"');
      throw new RequestError("unauthorized", "missing Authorization: Bearer <token> header");
    }
    if (!(await matchesAnySecret(given, accepted))) {
      c.header("WWW-Authenticate", 'Bearer realm="tower", error="invalid_token"');
      const what = TOKEN_NAMES[needed];
      throw new RequestError("unauthorized", `the bearer token does not match ${what}`);
    }
    return next();
  };
}
