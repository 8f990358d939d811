/**
 * Registry fixtures from any test, Node or workerd: calls to the stand-in's `/_admin` API.
 *
 *   const reg = registryFixture(registryUrl);
 *   const digest = await reg.push("acme/api", "1.4.2");
 */
import type { RegistryStats } from "./registry-server";

export function registryFixture(server: string) {
  const call = async (action: string, body?: unknown) => {
    const res = await fetch(`${server}/_admin/${action}`, {
      method: body === undefined ? "GET" : "POST",
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.json()) as Record<string, unknown>;
    if (!res.ok) throw new Error(`registry fixture ${action}: ${JSON.stringify(json)}`);
    return json;
  };
  return {
    host: new URL(server).host,
    /** Pushes `repo:tag` (a multi-arch index with `index`); returns its digest. */
    async push(repo: string, tag: string, options: { index?: boolean } = {}): Promise<string> {
      return String((await call("push", { repo, tag, ...options })).digest);
    },
    async makePrivate(repo: string, username: string, password: string) {
      await call("private", { repo, username, password });
    },
    /** The next `times` requests for `repo` answer `status` (with Retry-After when given). */
    async fault(repo: string, status: number, options: { retryAfter?: string; times?: number } = {}) {
      await call("fault", { repo, status, ...options });
    },
    async stats(): Promise<RegistryStats> {
      return (await call("stats")) as unknown as RegistryStats;
    },
  };
}

let counter = 0;
/** A repository name no other test uses. */
export function uniqueRepo(name: string): string {
  return `${name}-${Date.now().toString(36)}${(counter++).toString(36)}`;
}
