import { describe, expect, it } from "vitest";
import { RegistryError } from "../../../src/errors";
import { formatImageRef, parseImageRef, parseRegistryCredentials, RegistryClient } from "../../../src/registry";

/** A registry scripted per URL; records what it was sent. */
function scripted(routes: Record<string, (req: Request) => Response>) {
  const seen: { url: string; authorization: string | null }[] = [];
  const fetcher = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = new Request(input, init);
    seen.push({ url: req.url, authorization: req.headers.get("authorization") });
    const route = Object.entries(routes).find(([prefix]) => req.url.startsWith(prefix));
    return route ? route[1](req) : new Response("{}", { status: 404 });
  }) as typeof fetch;
  return { fetcher, seen };
}

const challenge = (realm: string) =>
  new Response("{}", {
    status: 401,
    headers: { "www-authenticate": `Bearer realm="${realm}",service="s",scope="repository:acme/api:pull"` },
  });

async function failure(promise: Promise<unknown>): Promise<RegistryError> {
  const err = await promise.catch((e: unknown) => e);
  if (!(err instanceof RegistryError)) throw new Error(`expected a RegistryError, got ${String(err)}`);
  return err;
}

describe("image references", () => {
  it("reads Docker's spellings", () => {
    expect(parseImageRef("nginx")).toEqual({ registry: "docker.io", repository: "library/nginx" });
    expect(parseImageRef("ghcr.io/acme/api:1.4.2@sha256:" + "a".repeat(64))).toEqual({
      registry: "ghcr.io",
      repository: "acme/api",
      tag: "1.4.2",
      digest: `sha256:${"a".repeat(64)}`,
    });
    expect(parseImageRef("localhost:5000/team/app:main-1")).toMatchObject({
      registry: "localhost:5000",
      tag: "main-1",
    });
    expect(formatImageRef(parseImageRef("acme/api:1"))).toBe("docker.io/acme/api:1");
    expect(() => parseImageRef("ghcr.io/Acme/api")).toThrow(/repository/);
    expect(() => parseImageRef(`ghcr.io/acme/api:${"x".repeat(200)}`)).toThrow(/not a tag/);
    expect(() => parseImageRef("ghcr.io/acme/api@sha256:zz")).toThrow(/digest/);
  });
});

describe("a hostile registry", () => {
  it("does not get a login for a token realm on another host, and cannot send Tower to another host's pages", async () => {
    const credentials = parseRegistryCredentials('{"ghcr.io": "bot:s3cret"}');
    const { fetcher, seen } = scripted({
      "https://ghcr.io/v2/acme/api/tags/list": (req) =>
        req.headers.get("authorization")?.startsWith("Bearer ")
          ? new Response(JSON.stringify({ tags: ["1"] }), {
              headers: { link: '<https://evil.example/v2/acme/api/tags/list?last=1>; rel="next"' },
            })
          : challenge("https://evil.example/token"),
      "https://evil.example/token": () => new Response(JSON.stringify({ token: "t" })),
    });
    const err = await failure(new RegistryClient({ credentials, fetch: fetcher }).listTags("ghcr.io/acme/api"));
    expect(err.message).toMatch(/points elsewhere/);
    const toEvil = seen.filter((s) => s.url.startsWith("https://evil.example"));
    expect(toEvil).toHaveLength(1);
    expect(toEvil[0]?.authorization).toBeNull();
  });

  it("skips junk tags, refuses oversized answers and plain-http token services", async () => {
    const junk = scripted({
      "https://r.example/v2/acme/api/tags/list": () =>
        new Response(JSON.stringify({ tags: ["1.0.0", "x".repeat(300), 7, "../etc", "ok-tag"] })),
    });
    const list = await new RegistryClient({ fetch: junk.fetcher }).listTags("r.example/acme/api");
    expect(list).toMatchObject({ tags: ["1.0.0", "ok-tag"], skipped: 3 });

    const huge = scripted({
      "https://r.example/v2/acme/api/tags/list": () => new Response(JSON.stringify({ tags: Array(5000).fill("a") })),
    });
    const big = await failure(
      new RegistryClient({ fetch: huge.fetcher, limits: { maxBodyBytes: 1000 } }).listTags("r.example/acme/api"),
    );
    expect(big.code).toBe("too_large");

    const clear = scripted({ "https://r.example/v2/": () => challenge("http://r.example/token") });
    expect((await failure(new RegistryClient({ fetch: clear.fetcher }).listTags("r.example/acme/api"))).code).toBe(
      "insecure",
    );
  });

  it("reads Retry-After as an HTTP date too", async () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    const limited = scripted({
      "https://r.example/v2/": () =>
        new Response("{}", { status: 429, headers: { "retry-after": "Thu, 01 Jan 2026 00:01:00 GMT" } }),
    });
    const err = await failure(
      new RegistryClient({ fetch: limited.fetcher, now: () => now }).listTags("r.example/acme/api"),
    );
    expect(err.data).toMatchObject({ retryAfterMs: 60_000 });
  });
});
