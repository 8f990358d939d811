/**
 * App deploy tokens: `POST /apps/{app_name}/deploy_token` (App_create_deploy_token in Fly's API
 * description: body CreateAppDeployTokenRequest `{expiry}`, answer CreateAppResponse `{token}`).
 * A deploy token is "limited to managing a single app and its resources" (flyctl
 * internal/command/tokens/create.go, `fly tokens create deploy`), so the registry takes it for that
 * app's repository only, until it expires. `expiry` is a Go duration, as flyctl sends it
 * (`expiryDuration.String()`); flyctl's default is 20 years. Tokens are macaroons: `FlyV1 fm2_…`.
 */
import { randomBytes } from "node:crypto";

const TWENTY_YEARS_MS = 20 * 365 * 24 * 3_600_000;
const UNIT_MS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1_000, ms: 1, us: 0.001, µs: 0.001, ns: 1e-6 };

export class DeployTokens {
  private readonly tokens = new Map<string, { app: string; expiresAt: number }>();

  /** The token as Fly hands it out (with its `FlyV1 ` scheme). */
  issue(app: string, expiry: string | undefined, now = Date.now()): string {
    const ms = expiry === undefined || expiry === "" ? TWENTY_YEARS_MS : goDuration(expiry);
    const token = `fm2_sim${randomBytes(24).toString("base64url")}`;
    this.tokens.set(token, { app, expiresAt: now + ms });
    return `FlyV1 ${token}`;
  }

  /** The app a token (bare, without scheme) may manage; null when unknown or expired. */
  appOf(token: string, now = Date.now()): string | null {
    const found = this.tokens.get(token.replace(/^FlyV1\s+/i, ""));
    return found && found.expiresAt > now ? found.app : null;
  }
}

/** Go's time.ParseDuration for the units flyctl's `Duration.String()` writes: `1h30m0s`, `45m0s`. */
export function goDuration(text: string): number {
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(h|ms|us|µs|ns|m|s)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join("") !== text)
    throw new Error(`time: invalid duration ${JSON.stringify(text)}`);
  return parts.reduce((sum, p) => sum + Number(p[1]) * UNIT_MS[p[2]!]!, 0);
}
