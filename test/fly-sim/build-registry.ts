/**
 * The registry side of simulated builds: manifests pushed by build machines, by repo and tag, and
 * the Docker registry's `HEAD|GET /v2/<repo>/manifests/<ref>` that answers `Docker-Content-Digest`.
 * Login as Fly's: basic auth, user `x`, the Fly token. Not part of the Machines API request log.
 */
import type { IncomingHttpHeaders } from "node:http";
import type { Reply } from "./context";

export interface PushedManifest {
  repo: string;
  tag: string;
  digest: string;
  /** What was built, for tests: the context and Dockerfile the build read. */
  source: string;
  at: number;
}

export class SimRegistry {
  private readonly manifests = new Map<string, PushedManifest>();

  push(manifest: Omit<PushedManifest, "at">) {
    this.manifests.set(`${manifest.repo}:${manifest.tag}`, { ...manifest, at: Date.now() });
  }

  find(repo: string, ref: string): PushedManifest | undefined {
    if (ref.startsWith("sha256:")) return [...this.manifests.values()].find((m) => m.repo === repo && m.digest === ref);
    return this.manifests.get(`${repo}:${ref}`);
  }

  all(repo?: string): PushedManifest[] {
    return [...this.manifests.values()].filter((m) => repo === undefined || m.repo === repo);
  }

  clear(repo?: string) {
    for (const [key, m] of this.manifests) if (repo === undefined || m.repo === repo) this.manifests.delete(key);
  }
}

const MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json";

export function handleRegistry(
  registry: SimRegistry,
  method: string,
  url: URL,
  headers: IncomingHttpHeaders,
  token?: string,
): Reply {
  if (!authorized(headers.authorization, token))
    return {
      status: 401,
      headers: { "www-authenticate": 'Basic realm="registry.fly.io"' },
      ...errors("UNAUTHORIZED", method),
    };
  if (url.pathname === "/v2/" || url.pathname === "/v2") return { status: 200, body: {} };
  const match = /^\/v2\/(.+)\/manifests\/([^/]+)$/.exec(url.pathname);
  if (!match || (method !== "HEAD" && method !== "GET")) return { status: 404, ...errors("NAME_UNKNOWN", method) };
  const found = registry.find(match[1]!, decodeURIComponent(match[2]!));
  if (!found) return { status: 404, ...errors("MANIFEST_UNKNOWN", method) };
  const replyHeaders = { "docker-content-digest": found.digest, "content-type": MANIFEST_TYPE };
  if (method === "HEAD") return { status: 200, headers: replyHeaders };
  return { status: 200, headers: replyHeaders, body: { schemaVersion: 2, mediaType: MANIFEST_TYPE } };
}

/** Basic `x:<token>`; any non-empty password when the simulator was started without a token. */
export function authorized(header: string | undefined, token?: string): boolean {
  if (!header?.startsWith("Basic ")) return false;
  const [user, ...rest] = Buffer.from(header.slice(6), "base64").toString("utf8").split(":");
  const password = rest.join(":");
  return user === "x" && password !== "" && (token === undefined || password === token);
}

function errors(code: string, method: string): { body?: unknown } {
  return method === "HEAD" ? {} : { body: { errors: [{ code, message: code.toLowerCase().replace("_", " ") }] } };
}
