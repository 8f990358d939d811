/**
 * The limits of one git operation: a deadline and a byte budget. It hands out an isomorphic-git
 * `http` plugin that counts every byte received and aborts the request past the budget, and
 * `run()` races the operation against the deadline, so a hanging server or a huge repo ends in
 * a GitError naming the repo and the limit instead of a killed isolate.
 */
import type { GitHttpRequest, GitHttpResponse, HttpClient } from "isomorphic-git";
import type { GitError } from "../errors";
import { collect, once } from "./bytes";
import { gitError, httpStatusError, toGitError } from "./git-error";

export interface GuardOptions {
  /** The repo's key (no credentials), for messages. */
  repo: string;
  /** What is being done, for messages: "listing refs", "fetching main". */
  operation: string;
  timeoutMs: number;
  maxBytes: number;
  /** Sent with every request (preemptive basic auth saves the 401 round trip). */
  authorization?: string;
}

export interface Guard {
  http: HttpClient;
  /** Bytes received so far. */
  bytes(): number;
  /** One request, the whole answer read through the budget (for small answers: ref lists). */
  fetchBytes(url: string, init: RequestInit): Promise<{ status: number; bytes: Uint8Array }>;
  run<T>(work: () => Promise<T>): Promise<T>;
}

export function createGuard(options: GuardOptions): Guard {
  const controller = new AbortController();
  let received = 0;
  let failure: GitError | undefined;
  let rejectFailed: (err: GitError) => void = () => {};
  const failed = new Promise<never>((_, reject) => (rejectFailed = reject));
  failed.catch(() => {}); // observed by run(); never an unhandled rejection

  const fail = (err: GitError): GitError => {
    if (!failure) {
      failure = err;
      controller.abort(err);
      rejectFailed(err);
    }
    return failure;
  };
  const tooLarge = () =>
    fail(
      gitError("too_large", options.repo, `${options.operation} exceeded the limit of ${mb(options.maxBytes)}`, {
        limitBytes: options.maxBytes,
      }),
    );
  const count = (n: number) => {
    received += n;
    if (received > options.maxBytes) throw tooLarge();
  };

  async function guardedFetch(url: string, init: RequestInit) {
    if (failure) throw failure;
    const headers: Record<string, string> = { "user-agent": "git/tower", ...init.headers };
    if (options.authorization) {
      if (!mayCarryCredentials(url)) {
        throw gitError("insecure", options.repo, "credentials are sent over https only (plain http on loopback)");
      }
      headers.authorization = options.authorization;
    }
    const method = init.method ?? "GET";
    let res = await fetch(url, { method, headers, body: init.body, signal: controller.signal, redirect: "manual" });
    // Redirects are followed by hand: same origin only (credentials never leave the host they
    // were given for), GET only (a request body is not sent twice), a few hops.
    for (let hop = 0; isRedirect(res.status); hop++) {
      const next = new URL(res.headers.get("location") ?? "", url);
      await res.body?.cancel();
      if (method !== "GET" || next.origin !== new URL(url).origin || hop >= 4) {
        throw gitError("protocol", options.repo, `the server redirected ${method} to another place; not followed`, {
          status: res.status,
        });
      }
      url = next.href;
      res = await fetch(url, { method, headers, signal: controller.signal, redirect: "manual" });
    }
    // A declared length past the budget fails before a byte is read.
    if (received + Number(res.headers.get("content-length") ?? "0") > options.maxBytes) {
      await res.body?.cancel();
      throw tooLarge();
    }
    return res;
  }

  async function* counted(body: ReadableStream<Uint8Array> | null): AsyncIterableIterator<Uint8Array> {
    if (!body) return;
    const reader = body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        count(value.byteLength);
        yield value;
      }
    } finally {
      reader.releaseLock();
    }
  }

  const http: HttpClient = {
    async request(req: GitHttpRequest): Promise<GitHttpResponse> {
      const body = req.body ? await collect(req.body) : undefined;
      const res = await guardedFetch(req.url, { method: req.method, headers: req.headers, body });
      if (res.status === 401 || res.status === 403 || res.status === 404) {
        await res.body?.cancel();
        throw httpStatusError(options.repo, res.status);
      }
      return {
        url: res.url || req.url,
        method: req.method,
        statusCode: res.status,
        statusMessage: res.statusText,
        headers: Object.fromEntries(res.headers),
        body: counted(res.body),
      };
    },
  };

  return {
    http,
    bytes: () => received,
    async fetchBytes(url, init) {
      const res = await http.request({
        url,
        method: init.method,
        headers: init.headers,
        body: init.body && once(init.body),
      });
      return { status: res.statusCode, bytes: await collect(res.body ?? []) };
    },
    async run(work) {
      const message = `${options.operation} took longer than the limit of ${options.timeoutMs} ms`;
      const timeout = () => fail(gitError("timeout", options.repo, message, { limitMs: options.timeoutMs }));
      const timer = setTimeout(timeout, options.timeoutMs);
      try {
        return await Promise.race([work(), failed]);
      } catch (err) {
        throw failure ?? toGitError(err, options.repo);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

interface RequestInit {
  method?: string;
  headers?: Record<string, string>;
  body?: Uint8Array;
}

function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

/** https anywhere; plain http only to this machine (test servers, `npm start`). */
export function mayCarryCredentials(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  if (protocol === "https:") return true;
  return (
    protocol === "http:" && (hostname === "localhost" || /^127(\.\d{1,3}){3}$/.test(hostname) || hostname === "[::1]")
  );
}

function mb(bytes: number): string {
  return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
}
