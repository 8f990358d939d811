/**
 * Build credentials. Git credentials are secrets of the builder app, which build machines reference
 * by name (`files[].secret_name`): the values travel once, in a set-secrets request when they
 * change. The registry login is not: each build gets a short-lived deploy token of the one app it
 * builds (registryAuthFile), so no build machine ever holds the org token or another app's push
 * rights. Fly wants a file's content base64-encoded.
 */
import { secretsDigest } from "../../base/secrets-digest";
import type { FlyClient } from "../client/fly-client";
import { base64 } from "./base64";
import type { BuilderSettings } from "./builder-settings";
import { registryLogin } from "./registry-login";

/**
 * Where builds before per-app deploy tokens found the registry login (the org token): removed from
 * the builder app when seen (ensureBuilderSecrets).
 */
export const LEGACY_REGISTRY_AUTH_SECRET = "TOWER_REGISTRY_AUTH";

/** The secret holding the git `Authorization` header for one host: `TOWER_GIT_AUTH_GITHUB_COM`. */
export function gitAuthSecretName(host: string): string {
  return `TOWER_GIT_AUTH_${host.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;
}

export interface BuildCredentials {
  /** The `Authorization` header for the source repo's host, for private repos. */
  gitAuth?: { host: string; header: string };
}

/** Secret name → value (base64 file content). Pure. */
export function builderSecrets(creds: BuildCredentials): Record<string, string> {
  const values: Record<string, string> = {};
  if (creds.gitAuth) values[gitAuthSecretName(creds.gitAuth.host)] = base64(creds.gitAuth.header);
  return values;
}

/**
 * Docker's config.json for one build (base64, as a machine file's `raw_value`): user `x`, the
 * app's deploy token as fly-go's `Tokens.Docker()` forms it. Pure.
 */
export function registryAuthFile(settings: BuilderSettings, deployToken: string): string {
  const auth = base64(registryLogin(deployToken));
  return base64(JSON.stringify({ auths: { [settings.registryHost]: { auth } } }));
}

/** A deploy token's lifetime for one build, as a Go duration: the build's limit and 5 minutes more. */
export function deployTokenExpiry(settings: BuilderSettings): string {
  return `${Math.ceil(settings.timeoutMs / 60_000) + 5}m0s`;
}

/** Digest per secret name: what the caller remembers instead of the values. */
export type SecretDigests = Record<string, string>;

/**
 * Sets on the builder app the secrets whose digest differs from `known`, or that the app lacks
 * (a recreated builder app); returns the digests to remember. One list call when nothing changed.
 */
export async function ensureBuilderSecrets(
  client: FlyClient,
  settings: BuilderSettings,
  values: Record<string, string>,
  known: SecretDigests,
  key: string,
): Promise<SecretDigests> {
  const digests: SecretDigests = {};
  for (const [name, value] of Object.entries(values)) digests[name] = secretsDigest({ [name]: value }, key);
  const present = new Set((await client.listSecrets(settings.app)).map((secret) => secret.name));
  // Every builder machine sees the builder app's secrets: the org token must not be one of them.
  if (present.has(LEGACY_REGISTRY_AUTH_SECRET)) await client.deleteSecret(settings.app, LEGACY_REGISTRY_AUTH_SECRET);
  const stale = Object.keys(values).filter((name) => known[name] !== digests[name] || !present.has(name));
  if (stale.length > 0) await client.setSecrets(settings.app, Object.fromEntries(stale.map((n) => [n, values[n]!])));
  return { ...known, ...digests };
}
