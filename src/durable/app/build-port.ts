/**
 * What the AppDO needs to build images on Fly, from the Worker's env: the Machines API client,
 * the registry, git credentials, the config repo (for `local` sources) and the builder's settings.
 * Optional env: FLY_REGISTRY_BASE (default https://registry.fly.io), FLY_BUILDER_PREFIX (builder
 * app `<prefix>-builder`, default `tower-<org>`), BUILD_TIMEOUT_MS (default 20 minutes).
 */
import type { ResolvedApp } from "../../config/resolved-app";
import { createFlyClient, type FlyClient } from "../../fly";
import { type BuilderSettings, builderSettings, type RegistryOptions } from "../../fly/build";
import { type GitCredentials, parseGitCredentials } from "../../git";

export interface BuildPort {
  client: FlyClient;
  registry: RegistryOptions;
  /** The Fly token: Tower's own registry reads. Build machines get a per-app deploy token instead. */
  token: string;
  configRepo: string;
  credentials: () => GitCredentials;
  settingsFor(app: ResolvedApp): BuilderSettings;
}

type BuildEnv = Record<string, unknown>;

/** Null when no Fly token is set: a build then fails naming the setting. */
export function createBuildPort(env: BuildEnv, client?: FlyClient): BuildPort | null {
  const text = (key: string) => (typeof env[key] === "string" && env[key] !== "" ? (env[key] as string) : undefined);
  const token = text("FLY_API_TOKEN");
  if (!token) return null;
  const timeout = Number(text("BUILD_TIMEOUT_MS"));
  const prefix = text("FLY_BUILDER_PREFIX");
  return {
    client: client ?? createFlyClient({ baseUrl: text("FLY_API_BASE"), token }),
    registry: { baseUrl: text("FLY_REGISTRY_BASE") ?? "https://registry.fly.io", token },
    token,
    configRepo: text("CONFIG_REPO") ?? "",
    credentials: () => parseGitCredentials(text("GIT_CREDENTIALS")),
    settingsFor: (app) =>
      builderSettings({
        org: app.org,
        prefix: prefix ?? `tower-${app.org}`,
        // Build near where the app runs: the push and the first pull stay in one region.
        region: app.primaryRegion,
        ...(Number.isFinite(timeout) && timeout > 0 ? { timeoutMs: timeout } : {}),
      }),
  };
}
