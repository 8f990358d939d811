import { describe, expect, it } from "vitest";
import { manifestDigest, trustedRealm } from "../../../../src/fly/build/registry";

/** A registry that challenges with `realm` and records every request (URL and Authorization). */
function registry(realm: string) {
  const calls: { url: string; authorization: string | null }[] = [];
  const digest = `sha256:${"a".repeat(64)}`;
  const fetcher = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input);
    const authorization = new Headers(init?.headers).get("authorization");
    calls.push({ url, authorization });
    if (url.startsWith(realm)) return Response.json({ token: "registry-bearer" });
    if (authorization === "Bearer registry-bearer")
      return new Response(null, { status: 200, headers: { "docker-content-digest": digest } });
    return new Response(null, { status: 401, headers: { "www-authenticate": `Bearer realm="${realm}",service="r"` } });
  }) as typeof fetch;
  return { calls, fetcher, digest };
}

describe("registry auth realm", () => {
  it("sends the Fly token to a realm on the registry or on fly.io, and nowhere else", async () => {
    const fly = registry("https://registry.fly.io/token");
    const options = { baseUrl: "https://registry.fly.io", token: "fo1_org", fetch: fly.fetcher };
    expect(await manifestDigest(options, "web", "deployment-1")).toBe(fly.digest);

    const evil = registry("https://evil.example/token");
    const err = await manifestDigest({ ...options, fetch: evil.fetcher }, "web", "deployment-1").catch((e) => e);
    expect(String(err)).toMatch(/realm evil\.example is not Fly's/);
    expect(evil.calls.map((c) => new URL(c.url).host)).toEqual(["registry.fly.io"]);
  });

  it("trusts the registry's own origin (the simulator) and https *.fly.io only", () => {
    const sim = new URL("http://127.0.0.1:9000");
    expect(trustedRealm(new URL("http://127.0.0.1:9000/token"), sim)).toBe(true);
    expect(trustedRealm(new URL("http://127.0.0.1:9001/token"), sim)).toBe(false);
    expect(trustedRealm(new URL("https://api.fly.io/token"), sim)).toBe(true);
    expect(trustedRealm(new URL("http://api.fly.io/token"), sim)).toBe(false);
    expect(trustedRealm(new URL("https://fly.io.evil.example/token"), sim)).toBe(false);
  });
});
