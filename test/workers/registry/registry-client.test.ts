import { describe, expect, inject, it } from "vitest";
import { RegistryError } from "../../../src/errors";
import { parseRegistryCredentials, RegistryClient } from "../../../src/registry";
import { registryFixture, uniqueRepo } from "../../support/registry-fixture";

const registry = () => registryFixture(inject("registryUrl"));

async function failure(promise: Promise<unknown>): Promise<RegistryError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof RegistryError)) throw new Error(`expected a RegistryError, got ${String(err)}`);
  return err;
}

describe("RegistryClient against the registry stand-in", () => {
  it("lists every tag across Link pages with an anonymous bearer token fetched once", async () => {
    const reg = registry();
    const repo = uniqueRepo("acme/api");
    for (const tag of ["1.0.0", "1.1.0", "1.2.0", "1.3.0", "2.0.0-rc.1", "latest", "main-17"])
      await reg.push(repo, tag);
    const client = new RegistryClient();
    const list = await client.listTags(`${reg.host}/${repo}`);
    expect(list.tags.sort()).toEqual(["1.0.0", "1.1.0", "1.2.0", "1.3.0", "2.0.0-rc.1", "latest", "main-17"]);
    expect(list).toMatchObject({ pages: 3, truncated: false, skipped: 0 });
    // 401 + token + 3 pages: the token is kept for the pages and for the digest that follows.
    expect(client.requests).toBe(5);
    await client.resolveDigest(`${reg.host}/${repo}`, "1.3.0");
    expect(client.requests).toBe(6);
    expect((await reg.stats()).tagLists[repo]).toBe(3);
  });

  it("stops at the page limit and says the list is cut short", async () => {
    const reg = registry();
    const repo = uniqueRepo("acme/many");
    for (let i = 0; i < 10; i++) await reg.push(repo, `t${i}`);
    const list = await new RegistryClient({ limits: { maxPages: 2 } }).listTags(`${reg.host}/${repo}`);
    expect(list).toMatchObject({ pages: 2, truncated: true });
    expect(list.tags).toHaveLength(6);
  });

  it("resolves a tag to its manifest digest, and a multi-arch image to its index digest", async () => {
    const reg = registry();
    const repo = uniqueRepo("acme/web");
    const single = await reg.push(repo, "1.0.0");
    const multi = await reg.push(repo, "2.0.0", { index: true });
    const client = new RegistryClient();
    expect(await client.resolveDigest(`${reg.host}/${repo}`, "1.0.0")).toEqual({
      digest: single,
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      multiArch: false,
    });
    expect(await client.resolveDigest(`${reg.host}/${repo}`, "2.0.0")).toMatchObject({
      digest: multi,
      multiArch: true,
    });
    const missing = await failure(client.resolveDigest(`${reg.host}/${repo}`, "9.9.9"));
    expect(missing.code).toBe("not_found");
  });

  it("a private image needs its host's login; Fly's token goes to Fly's registry host only", async () => {
    const reg = registry();
    const repo = uniqueRepo("acme/private");
    await reg.push(repo, "1.0.0");
    await reg.makePrivate(repo, "bot", "s3cret");
    const image = `${reg.host}/${repo}`;
    const anonymous = await failure(new RegistryClient().listTags(image));
    expect(anonymous.code).toBe("unauthorized");
    expect(anonymous.message).toContain(repo);
    const credentials = parseRegistryCredentials(JSON.stringify({ [reg.host]: "bot:s3cret" }));
    expect((await new RegistryClient({ credentials }).listTags(image)).tags).toEqual(["1.0.0"]);
    const elsewhere = parseRegistryCredentials(JSON.stringify({ "ghcr.io": "bot:s3cret" }));
    expect((await failure(new RegistryClient({ credentials: elsewhere }).listTags(image))).code).toBe("unauthorized");

    const flyRepo = uniqueRepo("fly-app");
    await reg.push(flyRepo, "deployment-1");
    await reg.makePrivate(flyRepo, "x", "fly-token");
    const asFly = new RegistryClient({ fly: { host: reg.host, token: "fly-token" } });
    expect((await asFly.listTags(`${reg.host}/${flyRepo}`)).tags).toEqual(["deployment-1"]);
    const notFly = new RegistryClient({ fly: { host: "registry.fly.io", token: "fly-token" } });
    expect((await failure(notFly.listTags(`${reg.host}/${flyRepo}`))).code).toBe("unauthorized");
  });

  it("names 404 and 429 (with Retry-After) per image", async () => {
    const reg = registry();
    const gone = await failure(new RegistryClient().listTags(`${reg.host}/${uniqueRepo("nobody/here")}`));
    expect(gone.code).toBe("not_found");
    const repo = uniqueRepo("acme/busy");
    await reg.push(repo, "1.0.0");
    await reg.fault(repo, 429, { retryAfter: "30" });
    const limited = await failure(new RegistryClient().listTags(`${reg.host}/${repo}`));
    expect(limited.code).toBe("rate_limited");
    expect(limited.data).toMatchObject({ retryAfterMs: 30_000, image: `${reg.host}/${repo}` });
    expect((await new RegistryClient().listTags(`${reg.host}/${repo}`)).tags).toEqual(["1.0.0"]);
  });
});
