/**
 * A recording stand-in for the git hosts' status APIs and chat webhooks, for tests: GitHub
 * (commit statuses, Deployments and their statuses, per docs.github.com/rest), Gitea/Forgejo and
 * GitLab commit statuses, and any `/hooks/...` URL as an incoming webhook. Every request is kept
 * (method, path, headers, body) and read back through `/_control/requests`; faults (a status and
 * headers for the next N requests whose path contains a string) are set through `/_control/faults`.
 * It checks what the real APIs check for these calls (required fields, state names, GitHub's
 * 140-character description) and answers with their shapes, so a malformed call fails here too.
 */
import { createServer, type IncomingMessage, request, type ServerResponse } from "node:http";

export interface RecordedRequest {
  seq: number;
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  /** The status it was answered with. */
  status: number;
  /** When it arrived (ms since epoch). */
  at: number;
}

export interface Fault {
  /** Applies to requests whose path contains this. */
  match: string;
  status: number;
  headers?: Record<string, string>;
  body?: string;
  /** How many matching requests it answers (then it is used up). */
  times: number;
  /** Do the work, then answer with the fault: an answer lost on the way back. */
  afterApply?: boolean;
}

interface Deployment {
  id: number;
  repo: string;
  sha: string;
  environment: string;
  task: string;
  payload: unknown;
}

const STATUS_STATES = ["error", "failure", "pending", "success"];
const DEPLOYMENT_STATES = ["error", "failure", "inactive", "in_progress", "queued", "pending", "success"];
const GITLAB_STATES = ["pending", "running", "success", "failed", "canceled", "skipped"];

/** `gitUrl`: where `/git/<rest>` is passed on to, so a test repo can live on a host with an API. */
export async function startFeedbackHosts(gitUrl?: string): Promise<{ url: string; close(): Promise<void> }> {
  const recorded: RecordedRequest[] = [];
  const faults: Fault[] = [];
  const deployments: Deployment[] = [];
  /** GitLab's rule: a status name already in a state cannot transition to it again. */
  const gitlabStates = new Map<string, string>();
  /** GitHub commit statuses by `owner/repo@sha`, then context: the latest state of each. */
  const githubStatuses = new Map<string, Map<string, string>>();

  const server = createServer((req, res) => {
    if (gitUrl && req.url?.startsWith("/git/")) return passToGit(gitUrl, req, res);
    readBody(req).then((body) => {
      const url = new URL(req.url ?? "/", "http://x");
      if (url.pathname.startsWith("/_control/")) return control(req.method ?? "GET", url, body, res);
      const fault = faultFor(url.pathname);
      const done = !fault || fault.afterApply ? route(req.method ?? "GET", url, body) : null;
      const answer = fault ?? done!;
      recorded.push({
        seq: recorded.length + 1,
        method: req.method ?? "GET",
        path: url.pathname + url.search,
        headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])),
        body,
        status: answer.status,
        at: Date.now(),
      });
      res.writeHead(answer.status, { "content-type": "application/json", ...answer.headers });
      res.end(answer.body);
    });
  });

  function faultFor(path: string) {
    const fault = faults.find((f) => f.times > 0 && path.includes(f.match));
    if (!fault) return null;
    fault.times -= 1;
    const body = fault.body ?? '{"message":"injected"}';
    return { status: fault.status, headers: fault.headers ?? {}, body, afterApply: fault.afterApply === true };
  }

  function route(
    method: string,
    url: URL,
    text: string,
  ): { status: number; headers?: Record<string, string>; body: string } {
    const ok = (status: number, value: unknown) => ({ status, body: JSON.stringify(value) });
    const invalid = (message: string) => ok(422, { message: "Validation Failed", errors: [{ message }] });
    const body = parse(text);
    const path = url.pathname;
    let m = /^\/github\/repos\/([^/]+)\/([^/]+)\/statuses\/([0-9a-f]{40})$/.exec(path);
    if (m && method === "POST") {
      if (!STATUS_STATES.includes(body.state)) return invalid(`state ${body.state}`);
      if (typeof body.description === "string" && body.description.length > 140)
        return invalid("description is too long (maximum is 140 characters)");
      const key = `${m[1]}/${m[2]}@${m[3]}`;
      const contexts = githubStatuses.get(key) ?? new Map<string, string>();
      contexts.set(body.context ?? "default", body.state);
      githubStatuses.set(key, contexts);
      return ok(201, { id: recorded.length + 1, state: body.state, context: body.context ?? "default" });
    }
    // The combined status (docs.github.com/rest/commits/statuses): failure if any context failed
    // or errored, pending if any is pending or there are none, else success.
    m = /^\/github\/repos\/([^/]+)\/([^/]+)\/commits\/([0-9a-f]{40})\/status$/.exec(path);
    if (m && method === "GET") {
      const states = [...(githubStatuses.get(`${m[1]}/${m[2]}@${m[3]}`)?.entries() ?? [])];
      const has = (...wanted: string[]) => states.some(([, state]) => wanted.includes(state));
      const state = has("failure", "error") ? "failure" : states.length === 0 || has("pending") ? "pending" : "success";
      const statuses = states.map(([context, s]) => ({ context, state: s }));
      return ok(200, { state, sha: m[3], total_count: states.length, statuses });
    }
    m = /^\/github\/repos\/([^/]+)\/([^/]+)\/deployments$/.exec(path);
    if (m && method === "POST") {
      if (typeof body.ref !== "string") return invalid("ref is required");
      const deployment: Deployment = {
        id: deployments.length + 1,
        repo: `${m[1]}/${m[2]}`,
        sha: body.ref,
        environment: body.environment ?? "production",
        task: body.task ?? "deploy",
        payload: body.payload ?? {},
      };
      deployments.push(deployment);
      return ok(201, deployment);
    }
    if (m && method === "GET") {
      const q = url.searchParams;
      const list = deployments.filter(
        (d) =>
          d.repo === `${m![1]}/${m![2]}` &&
          (!q.get("sha") || d.sha === q.get("sha")) &&
          (!q.get("environment") || d.environment === q.get("environment")),
      );
      return ok(200, list.reverse());
    }
    m = /^\/github\/repos\/([^/]+)\/([^/]+)\/deployments\/(\d+)\/statuses$/.exec(path);
    if (m && method === "POST") {
      if (!deployments.some((d) => d.id === Number(m![3]) && d.repo === `${m![1]}/${m![2]}`))
        return ok(404, { message: "Not Found" });
      if (!DEPLOYMENT_STATES.includes(body.state)) return invalid(`state ${body.state}`);
      return ok(201, { id: recorded.length + 1, state: body.state });
    }
    m = /^\/gitea\/repos\/([^/]+)\/([^/]+)\/statuses\/([0-9a-f]{40})$/.exec(path);
    if (m && method === "POST") {
      if (![...STATUS_STATES, "warning"].includes(body.state)) return invalid(`state ${body.state}`);
      return ok(201, { id: recorded.length + 1, status: body.state, context: body.context });
    }
    m = /^\/gitlab\/projects\/([^/]+)\/statuses\/([0-9a-f]{40})$/.exec(path);
    if (m && method === "POST") {
      if (!GITLAB_STATES.includes(body.state)) return ok(400, { error: "state does not have a valid value" });
      const key = `${m[1]}@${m[2]}:${body.name ?? "default"}`;
      if (gitlabStates.get(key) === body.state)
        return ok(400, { message: `Cannot transition status via :${body.state} from :${body.state}` });
      gitlabStates.set(key, body.state);
      return ok(201, { id: recorded.length + 1, status: body.state, name: body.name });
    }
    if (path.startsWith("/hooks/") && method === "POST") return { status: 200, body: "ok" };
    return ok(404, { message: "Not Found" });
  }

  function control(method: string, url: URL, text: string, res: ServerResponse) {
    if (url.pathname === "/_control/requests") {
      const match = url.searchParams.get("match") ?? "";
      res.writeHead(200, { "content-type": "application/json" });
      return res.end(JSON.stringify(recorded.filter((r) => r.path.includes(match))));
    }
    if (url.pathname === "/_control/faults" && method === "POST") {
      faults.push(parse(text) as unknown as Fault);
      return res.writeHead(204).end();
    }
    res.writeHead(404).end();
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Streams a git smart-HTTP exchange to the git server and back, unrecorded. */
function passToGit(gitUrl: string, req: IncomingMessage, res: ServerResponse) {
  const target = new URL((req.url ?? "/").slice("/git".length), gitUrl);
  const upstream = request(target, { method: req.method, headers: { ...req.headers, host: target.host } }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  });
  upstream.on("error", () => res.writeHead(502).end());
  req.pipe(upstream);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
  });
}

// biome-ignore lint/suspicious/noExplicitAny: request bodies are checked field by field above.
function parse(text: string): Record<string, any> {
  try {
    const value = JSON.parse(text);
    return typeof value === "object" && value !== null ? value : {};
  } catch {
    return {};
  }
}
