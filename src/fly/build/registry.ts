/**
 * Reads a pushed tag's manifest digest from the registry: `HEAD /v2/<repo>/manifests/<tag>` →
 * `Docker-Content-Digest`. Login is user `x` with the Fly token; a registry that answers with a
 * Bearer challenge gets its token from the realm first (the Docker registry token flow). These are
 * registry calls, not Machines API calls.
 */
import { FlyApiError } from "../../errors";
import { base64 } from "./base64";
import { registryLogin } from "./registry-login";

export interface RegistryOptions {
  /** e.g. `https://registry.fly.io`; the simulator serves the same paths. */
  baseUrl: string;
  token: string;
  fetch?: typeof fetch;
}

const MANIFEST_TYPES = [
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.docker.distribution.manifest.v2+json",
].join(", ");

/** The digest (`sha256:…`) of `<repo>:<tag>`, or null when the tag does not exist. */
export async function manifestDigest(options: RegistryOptions, repo: string, tag: string): Promise<string | null> {
  const fetcher = options.fetch ?? fetch;
  const url = `${options.baseUrl.replace(/\/+$/, "")}/v2/${repo}/manifests/${encodeURIComponent(tag)}`;
  const basic = `Basic ${base64(registryLogin(options.token))}`;
  const head = (authorization: string) =>
    fetcher(url, { method: "HEAD", headers: { accept: MANIFEST_TYPES, authorization } });
  let res = await head(basic);
  const challenge = res.headers.get("www-authenticate") ?? "";
  if (res.status === 401 && /^bearer /i.test(challenge))
    res = await head(`Bearer ${await bearer(fetcher, challenge, basic, options.baseUrl)}`);
  if (res.status === 404) return null;
  const digest = res.headers.get("docker-content-digest");
  if (!res.ok || !digest)
    throw new FlyApiError("registry_error", `the registry answered ${res.status} for ${repo}:${tag}`, {
      status: res.status,
    });
  if (!/^sha256:[0-9a-f]{64}$/.test(digest))
    throw new FlyApiError("registry_error", `the registry gave an unexpected digest for ${repo}:${tag}`, {});
  return digest;
}

async function bearer(fetcher: typeof fetch, challenge: string, basic: string, baseUrl: string): Promise<string> {
  const params = Object.fromEntries([...challenge.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
  if (!params.realm) throw new FlyApiError("registry_error", "the registry's auth challenge names no realm", {});
  const url = new URL(params.realm);
  // The login carries the Fly token: it goes only to the registry itself or to Fly's own hosts,
  // never wherever a challenge points.
  if (!trustedRealm(url, new URL(baseUrl)))
    throw new FlyApiError("registry_error", `the registry's auth realm ${url.host} is not Fly's: no token sent there`, {
      realm: url.host,
    });
  for (const key of ["service", "scope"]) if (params[key]) url.searchParams.set(key, params[key]!);
  const res = await fetcher(url, { headers: { authorization: basic }, redirect: "manual" });
  const body = (res.ok ? await res.json() : {}) as { token?: string; access_token?: string };
  const token = body.token ?? body.access_token;
  if (!token)
    throw new FlyApiError("registry_error", `the registry refused the login (${res.status})`, { status: res.status });
  return token;
}

/** The registry's own origin, or https on fly.io and its subdomains. */
export function trustedRealm(realm: URL, registry: URL): boolean {
  if (realm.origin === registry.origin) return true;
  return realm.protocol === "https:" && (realm.hostname === "fly.io" || realm.hostname.endsWith(".fly.io"));
}
