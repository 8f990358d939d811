/**
 * A container registry stand-in for tests, benchmarks and `npm start`: Node's http server
 * speaking the parts of the OCI Distribution Spec (v1.1, "Pull" and "Content Discovery") that
 * image automation uses, with Docker's token authentication flow in front:
 * - every `/v2/…` request without a valid bearer token answers 401 with
 *   `WWW-Authenticate: Bearer realm="<base>/token",service="tower-test",scope="repository:<name>:pull"`
 *   (Docker Hub and GHCR do this for public images too; the token is then anonymous);
 * - `GET /token?service&scope` issues a token; a private repo needs HTTP basic with its login;
 * - `GET /v2/<name>/tags/list?n&last` answers `{name, tags}` in lexical order, at most the
 *   server's page size, and a `Link: <…?n=…&last=…>; rel="next"` header while more remain
 *   (distribution-spec "Listing Tags");
 * - `HEAD|GET /v2/<name>/manifests/<tag|digest>` answers `Docker-Content-Digest` and the
 *   manifest's media type (an OCI index for multi-arch images);
 * - errors carry the spec's `{errors: [{code, message}]}` (NAME_UNKNOWN, MANIFEST_UNKNOWN,
 *   UNAUTHORIZED, TOOMANYREQUESTS with `Retry-After`).
 * A JSON control API under `/_admin` pushes tags, makes repos private, injects faults and counts
 * requests per repository.
 */
import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";

export const INDEX_TYPE = "application/vnd.oci.image.index.v1+json";
export const MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json";

interface Manifest {
  body: string;
  digest: string;
  mediaType: string;
}

interface Repo {
  tags: Map<string, Manifest>;
  login?: { username: string; password: string };
  faults: { status: number; retryAfter?: string; times: number }[];
}

export interface RegistryStats {
  /** Tag-list requests (every page) per repository. */
  tagLists: Record<string, number>;
  /** All /v2 requests per repository, token requests included. */
  requests: Record<string, number>;
}

export interface RegistryServer {
  url: string;
  /** `host:port`: images here are `<host>/<repo>:<tag>`. */
  host: string;
  stats(): RegistryStats;
  close(): Promise<void>;
}

export async function startRegistryServer(options: { port?: number; pageSize?: number } = {}): Promise<RegistryServer> {
  const repos = new Map<string, Repo>();
  const tokens = new Map<string, string>(); // token → repository it may pull
  const tagLists = new Map<string, number>();
  const requests = new Map<string, number>();
  const pageSize = options.pageSize ?? 3;
  let base = "";
  let seq = 0;

  const count = (map: Map<string, number>, name: string) => map.set(name, (map.get(name) ?? 0) + 1);
  const repoOf = (name: string) => {
    let repo = repos.get(name);
    if (!repo) repos.set(name, (repo = { tags: new Map(), faults: [] }));
    return repo;
  };
  const reply = (res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}) => {
    const text = body === undefined ? "" : JSON.stringify(body);
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(text);
  };
  const specError = (res: ServerResponse, status: number, code: string, headers: Record<string, string> = {}) =>
    reply(res, status, { errors: [{ code, message: code.toLowerCase().replaceAll("_", " ") }] }, headers);

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", base);
    if (url.pathname.startsWith("/_admin/")) return admin(req, res, url);
    if (url.pathname === "/token") return token(req, res, url);
    if (url.pathname === "/v2/" || url.pathname === "/v2") {
      if (!bearer(req)) return challenge(res, undefined);
      return reply(res, 200, {});
    }
    const m = /^\/v2\/(.+)\/(tags\/list|manifests\/([^/]+))$/.exec(url.pathname);
    if (!m?.[1]) return specError(res, 404, "NAME_UNKNOWN");
    const name = m[1];
    count(requests, name);
    const allowed = bearer(req);
    if (allowed !== name) return challenge(res, name);
    const repo = repos.get(name);
    const fault = repo?.faults[0];
    if (fault) {
      if (--fault.times <= 0) repo.faults.shift();
      const code = fault.status === 429 ? "TOOMANYREQUESTS" : fault.status === 401 ? "UNAUTHORIZED" : "UNKNOWN";
      return specError(res, fault.status, code, fault.retryAfter ? { "retry-after": fault.retryAfter } : {});
    }
    if (!repo || repo.tags.size === 0) return specError(res, 404, "NAME_UNKNOWN");
    if (m[2] === "tags/list") {
      count(tagLists, name);
      const n = Math.min(Number(url.searchParams.get("n") ?? pageSize) || pageSize, pageSize);
      const last = url.searchParams.get("last");
      const all = [...repo.tags.keys()].sort();
      const after = last === null ? all : all.filter((t) => t > last);
      const page = after.slice(0, n);
      const headers: Record<string, string> = {};
      if (after.length > n) headers.link = `</v2/${name}/tags/list?n=${n}&last=${page.at(-1)}>; rel="next"`;
      return reply(res, 200, { name, tags: page }, headers);
    }
    const ref = decodeURIComponent(m[3] ?? "");
    const manifest = ref.startsWith("sha256:")
      ? [...repo.tags.values()].find((t) => t.digest === ref)
      : repo.tags.get(ref);
    if (!manifest) return specError(res, 404, "MANIFEST_UNKNOWN");
    const headers = {
      "content-type": manifest.mediaType,
      "docker-content-digest": manifest.digest,
      "content-length": String(Buffer.byteLength(manifest.body)),
    };
    res.writeHead(200, headers);
    res.end(req.method === "HEAD" ? undefined : manifest.body);
  }

  /** The repository a request's bearer token may pull, if any. */
  function bearer(req: IncomingMessage): string | undefined {
    const header = req.headers.authorization ?? "";
    return header.startsWith("Bearer ") ? tokens.get(header.slice(7)) : undefined;
  }

  function challenge(res: ServerResponse, name: string | undefined) {
    const scope = name ? `,scope="repository:${name}:pull"` : "";
    specError(res, 401, "UNAUTHORIZED", {
      "www-authenticate": `Bearer realm="${base}/token",service="tower-test"${scope}`,
    });
  }

  function token(req: IncomingMessage, res: ServerResponse, url: URL) {
    const scope = /^repository:(.+):pull$/.exec(url.searchParams.get("scope") ?? "");
    if (url.searchParams.get("service") !== "tower-test" || !scope?.[1]) return specError(res, 400, "DENIED");
    const name = scope[1];
    count(requests, name);
    const login = repos.get(name)?.login;
    if (login) {
      const header = req.headers.authorization ?? "";
      const given = header.startsWith("Basic ") ? Buffer.from(header.slice(6), "base64").toString("utf8") : "";
      if (given !== `${login.username}:${login.password}`) return specError(res, 401, "UNAUTHORIZED");
    }
    const issued = randomBytes(12).toString("hex");
    tokens.set(issued, name);
    reply(res, 200, { token: issued, expires_in: 300 });
  }

  async function admin(req: IncomingMessage, res: ServerResponse, url: URL) {
    const body = req.method === "POST" ? JSON.parse((await readBody(req)) || "{}") : {};
    const action = url.pathname.slice("/_admin/".length);
    if (action === "stats") return reply(res, 200, stats());
    const name = String(body.repo ?? "");
    if (!/^[a-z0-9]+(?:[._/-][a-z0-9]+)*$/.test(name)) return reply(res, 400, { error: "bad repo name" });
    const repo = repoOf(name);
    switch (action) {
      case "push": {
        const mediaType = body.index ? INDEX_TYPE : MANIFEST_TYPE;
        const manifest = JSON.stringify({ schemaVersion: 2, mediaType, annotations: { tag: body.tag, seq: seq++ } });
        const digest = `sha256:${createHash("sha256").update(manifest).digest("hex")}`;
        repo.tags.set(String(body.tag), { body: manifest, digest, mediaType });
        return reply(res, 200, { digest });
      }
      case "private":
        repo.login = { username: String(body.username), password: String(body.password) };
        return reply(res, 200, {});
      case "fault":
        repo.faults.push({
          status: Number(body.status),
          times: Number(body.times ?? 1),
          ...(body.retryAfter ? { retryAfter: String(body.retryAfter) } : {}),
        });
        return reply(res, 200, {});
      default:
        return reply(res, 404, { error: `unknown admin action ${action}` });
    }
  }

  function stats(): RegistryStats {
    return { tagLists: Object.fromEntries(tagLists), requests: Object.fromEntries(requests) };
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end(String(err instanceof Error ? err.message : err));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  base = `http://127.0.0.1:${port}`;
  return {
    url: base,
    host: `127.0.0.1:${port}`,
    stats,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
