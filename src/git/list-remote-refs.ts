/**
 * Listing a remote's refs, the cheapest git question and the one every cron tick asks of every
 * watched repo: one HTTP request. Protocol v2 is stateless, so `ls-refs` is POSTed straight to
 * `git-upload-pack` without the usual capability GET first, with `ref-prefix` so a repo with
 * thousands of refs answers with the few asked for. A server that does not answer v2 gets one
 * v1 GET of the full advertisement, filtered here.
 */
import type { GitCredentials } from "./credentials";
import { noCredentials } from "./credentials";
import { gitError } from "./git-error";
import { createGuard, type Guard } from "./guard";
import { parsePktLines, pktLines } from "./pkt-line";
import type { RemoteRefs } from "./remote-refs";
import { describeRepo, httpsCloneUrl } from "./repo-url";

export interface ListRefsOptions {
  /** Only refs starting with one of these (`refs/heads/main`, `refs/tags/`, `HEAD`). */
  prefixes?: string[];
  credentials?: GitCredentials;
  timeoutMs?: number;
  maxBytes?: number;
}

export const LIST_REFS_DEFAULTS = { timeoutMs: 10_000, maxBytes: 8 * 1024 * 1024 };

export async function listRemoteRefs(url: string, options: ListRefsOptions = {}): Promise<RemoteRefs> {
  const repo = describeRepo(url);
  const cloneUrl = httpsCloneUrl(url);
  const guard = createGuard({
    repo,
    operation: "listing refs",
    timeoutMs: options.timeoutMs ?? LIST_REFS_DEFAULTS.timeoutMs,
    maxBytes: options.maxBytes ?? LIST_REFS_DEFAULTS.maxBytes,
    authorization: (options.credentials ?? noCredentials).authorization(url),
  });
  return guard.run(() => lsRefs(guard, cloneUrl, repo, options.prefixes ?? []));
}

/** ls-refs inside an operation that already has its guard (fetchCommit resolving a ref). */
export async function lsRefs(guard: Guard, cloneUrl: string, repo: string, prefixes: string[]): Promise<RemoteRefs> {
  return (await lsRefsV2(guard, cloneUrl, prefixes)) ?? lsRefsV1(guard, cloneUrl, prefixes, repo);
}

/** undefined when the server did not answer in protocol v2. */
async function lsRefsV2(guard: Guard, cloneUrl: string, prefixes: string[]): Promise<RemoteRefs | undefined> {
  const body = pktLines([
    "command=ls-refs\n",
    "agent=git/tower\n",
    "delim",
    "peel\n",
    "symrefs\n",
    ...prefixes.map((p) => `ref-prefix ${p}\n`),
    "flush",
  ]);
  const { status, bytes } = await guard.fetchBytes(`${cloneUrl}/git-upload-pack`, {
    method: "POST",
    headers: {
      "content-type": "application/x-git-upload-pack-request",
      accept: "application/x-git-upload-pack-result",
      "git-protocol": "version=2",
    },
    body,
  });
  if (status !== 200) return undefined;
  let lines: ReturnType<typeof parsePktLines>;
  try {
    lines = parsePktLines(bytes);
  } catch {
    return undefined;
  }
  const result: RemoteRefs = { refs: {}, peeled: {}, protocol: 2 };
  for (const line of lines) {
    if (line === "flush") return result;
    if (line === "delim" || line === "end") return undefined;
    const [oid, name, ...attrs] = line.split(" ");
    if (!oid || !name || !/^[0-9a-f]{40}$/.test(oid)) return undefined;
    result.refs[name] = oid;
    for (const attr of attrs) {
      if (attr.startsWith("peeled:")) result.peeled[name] = attr.slice(7);
      if (attr.startsWith("symref-target:") && name === "HEAD") result.head = attr.slice(14);
    }
  }
  return undefined; // no flush: not a v2 ls-refs answer
}

async function lsRefsV1(guard: Guard, cloneUrl: string, prefixes: string[], repo: string): Promise<RemoteRefs> {
  const { status, bytes } = await guard.fetchBytes(`${cloneUrl}/info/refs?service=git-upload-pack`, {
    headers: { accept: "application/x-git-upload-pack-advertisement" },
  });
  if (status !== 200) {
    throw gitError("network", repo, `the server answered HTTP ${status} to the ref advertisement`);
  }
  let lines: ReturnType<typeof parsePktLines>;
  try {
    lines = parsePktLines(bytes);
  } catch {
    throw gitError("protocol", repo, "the ref advertisement is not git smart-HTTP (a dumb server?)");
  }
  const wanted = (name: string) => prefixes.length === 0 || prefixes.some((p) => name.startsWith(p));
  const result: RemoteRefs = { refs: {}, peeled: {}, protocol: 1 };
  for (const line of lines) {
    if (typeof line !== "string" || line.startsWith("# service=")) continue;
    const [head, caps = ""] = line.split("\0");
    const [oid, name] = (head ?? "").split(" ");
    if (!oid || !name || name === "capabilities^{}") continue;
    const symref = /(?:^| )symref=HEAD:(\S+)/.exec(caps)?.[1];
    if (symref && wanted("HEAD")) result.head = symref;
    if (name.endsWith("^{}")) {
      if (wanted(name.slice(0, -3))) result.peeled[name.slice(0, -3)] = oid;
    } else if (wanted(name)) result.refs[name] = oid;
  }
  return result;
}
