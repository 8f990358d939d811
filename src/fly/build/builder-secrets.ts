/**
 * Build credentials as secrets of the builder app, which build machines reference by name
 * (`files[].secret_name`): the values travel once, in a set-secrets request when they change, and
 * never in a machine config that anyone with read access to the Machines API can see. Fly wants a
 * secret-backed file's content base64-encoded in the secret.
 */
import { secretsDigest } from "../../base/secrets-digest";
import type { FlyClient } from "../client/fly-client";
import { base64 } from "./base64";
import type { BuilderSettings } from "./builder-settings";
import { registryLogin } from "./registry-login";

/** Docker's config.json with the registry login (user `x`, the Fly token as fly-go's `Tokens.Docker()`). */
export const REGISTRY_AUTH_SECRET = "TOWER_REGISTRY_AUTH";

/** The secret holding the git `Authorization` header for one host: `TOWER_GIT_AUTH_GITHUB_COM`. */
export function gitAuthSecretName(host: string): string {
  return `TOWER_GIT_AUTH_${host.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;
}

export interface BuildCredentials {
  /** The Fly token: the registry's password. */
  registryToken: string;
  /** The `Authorization` header for the source repo's host, for private repos. */
  gitAuth?: { host: string; header: string };
}

/** Secret name → value (base64 file content). Pure. */
export function builderSecrets(settings: BuilderSettings, creds: BuildCredentials): Record<string, string> {
  const auth = base64(registryLogin(creds.registryToken));
  const docker = JSON.stringify({ auths: { [settings.registryHost]: { auth } } });
  const values: Record<string, string> = { [REGISTRY_AUTH_SECRET]: base64(docker) };
  if (creds.gitAuth) values[gitAuthSecretName(creds.gitAuth.host)] = base64(creds.gitAuth.header);
  return values;
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
  const stale = Object.keys(values).filter((name) => known[name] !== digests[name] || !present.has(name));
  if (stale.length > 0) await client.setSecrets(settings.app, Object.fromEntries(stale.map((n) => [n, values[n]!])));
  return { ...known, ...digests };
}
