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
    if (options.authorization) headers.authorization = options.authorization;
    const res = options.authorization
      ? await withCredentials(url, init, headers)
      : await fetch(url, {
          method: init.method ?? "GET",
          headers,
          body: init.body,
          signal: controller.signal,
        });
    // A declared length past the budget fails before a byte is read.
    if (received + Number(res.headers.get("content-length") ?? "0") > options.maxBytes) {
      await res.body?.cancel();
      throw tooLarge();
    }
    return res;
  }

  /**
   * A request that carries a token: never over plain http except to this machine, and redirects
   * followed by hand only within the same origin (fetch would carry the header anywhere).
   */
  async function withCredentials(url: string, init: RequestInit, headers: Record<string, string>) {
    for (let hops = 0, at = new URL(url); ; hops++) {
      if (at.protocol !== "https:" && !(at.protocol === "http:" && isLoopback(at.hostname)))
        throw fail(
          gitError(
            "insecure",
            options.repo,
            `refused to send credentials over ${at.protocol}// to a host other than this machine`,
          ),
        );
      const res = await fetch(at.href, {
        method: init.method ?? "GET",
        headers,
        body: init.body,
        signal: controller.signal,
        redirect: "manual",
      });
      const location = res.status >= 300 && res.status < 400 ? res.headers.get("location") : null;
      if (location === null) return res;
      await res.body?.cancel();
      const next = new URL(location, at);
      if (next.origin !== at.origin)
        throw fail(
          gitError(
            "insecure",
            options.repo,
            `the server redirected to another origin (${next.host}); not followed with credentials`,
          ),
        );
      if (hops >= 5) throw fail(gitError("network", options.repo, "too many redirects"));
      at = next;
    }
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

function mb(bytes: number): string {
  return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
}

function isLoopback(hostname: string): boolean {
  return hostname === "localhost" || hostname === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}
