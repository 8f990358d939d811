/**
 * A real git smart-HTTP server for tests, benchmarks and `npm start`: Node's http server in front
 * of `git http-backend` (CGI, ships with git). Repos live in a temp folder; a small JSON control
 * API under `/_admin` lets code on either side of the workerd boundary build fixture repos
 * (see fixture-repo.ts). Also: private repos (basic auth), a path that never answers (time
 * limits), and counters of the requests served (benchmarks count git round trips).
 */
import { execFile, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import {
  annotatedTag,
  applyCommit,
  type CommitRequest,
  catFile,
  fsck,
  initRepo,
  listRefs,
  setManyRefs,
  setRef,
} from "./git-repo-ops";

const run = promisify(execFile);

export interface GitServer {
  url: string;
  root: string;
  /** Requests served per repo name (smart-HTTP only, not /_admin). */
  stats(): Record<string, number>;
  close(): Promise<void>;
}

interface RepoSettings {
  /** Basic-auth password the repo requires (any user name), when private. */
  token?: string;
  /** Serve only protocol v1 (an older server): the Git-Protocol header is not passed on. */
  protocolV1?: boolean;
}

export async function startGitServer(options: { port?: number; root?: string } = {}): Promise<GitServer> {
  const root = options.root ?? (await mkdtemp(join(tmpdir(), "tower-git-")));
  const settings = new Map<string, RepoSettings>();
  const counts = new Map<string, number>();
  const backend = (await run("git", ["--exec-path"])).stdout.trim() + "/git-http-backend";

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end(String(err instanceof Error ? err.message : err));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", "http://x");
    if (url.pathname.startsWith("/_admin/")) return admin(req, res, url);
    // A server that accepts the connection and never answers: for time-limit tests.
    if (url.pathname.startsWith("/hang/")) return;
    // One that starts an answer and never finishes it: time limits must cover reading bodies.
    if (url.pathname.startsWith("/stall/")) {
      res.writeHead(200, { "content-type": "application/x-git-upload-pack-advertisement" });
      res.write("001e# service=git-upload-pack\n");
      return;
    }
    const match = /^\/([A-Za-z0-9._-]+?)(?:\.git)?(\/.*)$/.exec(url.pathname);
    const name = match?.[1];
    if (!match || !name || !settings.has(name)) {
      res.writeHead(404, { "content-type": "text/plain" }).end("repository not found\n");
      return;
    }
    const token = settings.get(name)?.token;
    if (token !== undefined && basicPassword(req.headers.authorization) !== token) {
      res.writeHead(401, { "www-authenticate": 'Basic realm="tower-test"', "content-type": "text/plain" });
      res.end("authentication required\n");
      return;
    }
    counts.set(name, (counts.get(name) ?? 0) + 1);
    await cgi(req, res, `/${name}.git${match[2]}`, url.search.slice(1), settings.get(name)?.protocolV1 === true);
  }

  function cgi(req: IncomingMessage, res: ServerResponse, pathInfo: string, query: string, v1 = false) {
    return new Promise<void>((resolve, reject) => {
      const child = spawn(backend, [], {
        env: {
          PATH: process.env.PATH ?? "",
          GIT_PROJECT_ROOT: root,
          GIT_HTTP_EXPORT_ALL: "1",
          PATH_INFO: pathInfo,
          REQUEST_METHOD: req.method ?? "GET",
          QUERY_STRING: query,
          CONTENT_TYPE: req.headers["content-type"] ?? "",
          REMOTE_ADDR: "127.0.0.1",
          // Protocol v2 is negotiated through this header.
          HTTP_GIT_PROTOCOL: v1 ? "" : String(req.headers["git-protocol"] ?? ""),
          HTTP_CONTENT_ENCODING: String(req.headers["content-encoding"] ?? ""),
        },
        stdio: ["pipe", "pipe", "inherit"],
      });
      // A backend that refuses (a service not enabled) exits without reading the body: the write
      // then fails with EPIPE, which is that refusal, not a crash of the server.
      child.stdin.on("error", () => {});
      req.pipe(child.stdin);
      let head = Buffer.alloc(0);
      let headersDone = false;
      child.stdout.on("data", (chunk: Buffer) => {
        if (headersDone) return void res.write(chunk);
        head = Buffer.concat([head, chunk]);
        const end = head.indexOf("\r\n\r\n");
        if (end < 0) return;
        headersDone = true;
        let status = 200;
        for (const line of head.subarray(0, end).toString("latin1").split("\r\n")) {
          const i = line.indexOf(":");
          const key = line.slice(0, i).trim();
          const value = line.slice(i + 1).trim();
          if (key.toLowerCase() === "status") status = Number.parseInt(value, 10);
          else res.setHeader(key, value);
        }
        res.writeHead(status);
        res.write(head.subarray(end + 4));
      });
      child.on("error", reject);
      child.on("close", () => {
        if (!headersDone) res.writeHead(502).end("git http-backend wrote no headers\n");
        else res.end();
        resolve();
      });
    });
  }

  async function admin(req: IncomingMessage, res: ServerResponse, url: URL) {
    const body = req.method === "POST" ? JSON.parse((await readBody(req)) || "{}") : {};
    const [, , action, name] = url.pathname.split("/");
    const reply = (status: number, value: unknown) =>
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(value));
    if (action === "stats") return reply(200, Object.fromEntries(counts));
    if (!name || !/^[A-Za-z0-9._-]+$/.test(name)) return reply(400, { error: "bad repo name" });
    const dir = join(root, `${name}.git`);
    switch (action) {
      case "create":
        await initRepo(dir, {
          readOnly: body.readOnly === true,
          ...(typeof body.rejectPushes === "string" ? { rejectPushes: body.rejectPushes } : {}),
          raceFirstPush: body.raceFirstPush === true,
        });
        if (body.noFilter) await run("git", ["-C", dir, "config", "uploadpack.allowFilter", "false"]);
        settings.set(name, {
          ...(body.token ? { token: String(body.token) } : {}),
          ...(body.protocolV1 ? { protocolV1: true } : {}),
        });
        return reply(200, { name });
      case "commit":
        return reply(200, { sha: await applyCommit(dir, body as CommitRequest) });
      case "ref":
        await setRef(dir, String(body.ref), body.target === null ? null : String(body.target));
        return reply(200, {});
      case "annotated-tag":
        return reply(200, {
          sha: await annotatedTag(dir, String(body.tag), String(body.target), String(body.message)),
        });
      case "refs":
        return reply(200, await listRefs(dir));
      case "cat":
        return reply(200, { text: await catFile(dir, String(body.spec)) });
      case "fsck":
        return reply(200, { problems: await fsck(dir) });
      case "many-refs":
        await setManyRefs(dir, String(body.prefix), Number(body.count), String(body.target));
        return reply(200, {});
      default:
        return reply(404, { error: `unknown admin action ${action}` });
    }
  }

  // A taken port is an error the caller can report, not a crash of the process.
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    root,
    stats: () => Object.fromEntries(counts),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (!options.root) await rm(root, { recursive: true, force: true });
    },
  };
}

function basicPassword(header: string | undefined): string | undefined {
  if (!header?.startsWith("Basic ")) return undefined;
  const decoded = Buffer.from(header.slice(6), "base64").toString("utf8");
  return decoded.slice(decoded.indexOf(":") + 1);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
