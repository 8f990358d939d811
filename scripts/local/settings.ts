/**
 * What `npm start` runs, from the environment: the ports, where its files go, and whether Tower
 * talks to the Fly simulator (the default) or to the real Fly (FLY_API_TOKEN set, FLY_API_BASE not).
 */
import { randomBytes } from "node:crypto";
import { resolve } from "node:path";

export interface LocalSettings {
  /** `wrangler dev` listens here. */
  port: number;
  flyPort: number;
  gitPort: number;
  /** `.tower-local/`: the stack file, git repos, Durable Object storage, simulator request log. */
  dir: string;
  fly: { mode: "simulator"; token: string } | { mode: "real"; token: string; base: string; org: string };
  /** Prefix of every example app's name (`__PREFIX__` in examples/config/project.yaml). */
  prefix: string;
  webhookSecret: string;
  adminToken: string;
  /** Read-only token: signs in to the dashboard without admin actions. */
  apiToken: string;
}

const numberFrom = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 0 || value > 65535)
    throw new Error(`${name} is not a port: ${process.env[name]}`);
  return value;
};

export function localSettings(root: string): LocalSettings {
  const env = process.env;
  const realFly = !!env.FLY_API_TOKEN && !env.FLY_API_BASE;
  const dev = (what: string) => `dev-${what}-${randomBytes(9).toString("base64url")}`;
  return {
    port: numberFrom("TOWER_PORT", 8787),
    flyPort: numberFrom("TOWER_FLY_PORT", 4280),
    gitPort: numberFrom("TOWER_GIT_PORT", 4281),
    dir: resolve(root, env.TOWER_LOCAL_DIR ?? ".tower-local"),
    fly: realFly
      ? {
          mode: "real",
          token: env.FLY_API_TOKEN!,
          base: "https://api.machines.dev",
          org: env.FLY_ORG ?? "personal",
        }
      : { mode: "simulator", token: dev("fly-token") },
    // Fly app names are global: against the real Fly the demo's must be nobody else's.
    prefix: env.TOWER_DEMO_PREFIX ?? (realFly ? `tower-demo-${randomBytes(3).toString("hex")}` : "tower-demo"),
    webhookSecret: dev("webhook-secret"),
    adminToken: dev("admin-token"),
    apiToken: dev("api-token"),
  };
}
