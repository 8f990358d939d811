/**
 * The registry side of simulated builds: manifests pushed by build machines, by repo and tag, and
 * the Docker registry's `HEAD|GET /v2/<repo>/manifests/<ref>` that answers `Docker-Content-Digest`.
 * Login as Fly's: basic auth, user `x`, a Fly token — the org token for any app, an app's deploy
 * token for that app's repository only (deploy-tokens.ts). Not part of the Machines API request log.
 */
import type { IncomingHttpHeaders } from "node:http";
import type { Reply } from "./context";
import type { DeployTokens } from "./deploy-tokens";

export interface PushedManifest {
  repo: string;
  tag: string;
  digest: string;
  /** What was built, for tests: the context and Dockerfile the build read. */
  source: string;
  /** Which login pushed it: the app's deploy token or the org token. */
  pushedWith: "deploy-token" | "org-token";
  /** Values the Dockerfile read through `RUN --mount=type=secret` (a credential here leaked into a build). */
  secretsRead: string[];
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
  token: string | undefined,
  tokens: DeployTokens,
): Reply {
  const repo = /^\/v2\/(.+)\/manifests\/[^/]+$/.exec(url.pathname)?.[1];
  const access = registryAccess(headers.authorization, token, tokens);
  if (access === null || (repo !== undefined && !mayAccess(access, repo)))
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

/** What a login may reach: every repository (the org token) or one app's (its deploy token). */
export type RegistryAccess = { kind: "org-token" } | { kind: "deploy-token"; app: string };

/**
 * Basic `x:<token>`: a deploy token the simulator issued (scoped to its app), or the org token —
 * any other non-empty password when the simulator was started without one.
 */
export function registryAccess(
  header: string | undefined,
  token: string | undefined,
  tokens: DeployTokens,
): RegistryAccess | null {
  if (!header?.startsWith("Basic ")) return null;
  const [user, ...rest] = Buffer.from(header.slice(6), "base64").toString("utf8").split(":");
  const password = rest.join(":");
  if (user !== "x" || password === "") return null;
  const app = tokens.appOf(password);
  if (app !== null) return { kind: "deploy-token", app };
  if (password.startsWith("fm2_sim")) return null; // an issued token that expired
  return token === undefined || password === token ? { kind: "org-token" } : null;
}

/** A deploy token reaches only its own app's repository (`<app>` or `<app>/…`). */
export function mayAccess(access: RegistryAccess, repo: string): boolean {
  return access.kind === "org-token" || repo === access.app || repo.startsWith(`${access.app}/`);
}

function errors(code: string, method: string): { body?: unknown } {
  return method === "HEAD" ? {} : { body: { errors: [{ code, message: code.toLowerCase().replace("_", " ") }] } };
}
