import { describe, expect, it } from "vitest";
import { fetchCommit, listRemoteRefs, parseGitCredentials, resolveRemoteRef } from "../../../src/git";
import { createRepo } from "../../support/fixture-repo";
import { gitFailure, gitUrl, requestsServed } from "./helpers";

describe("fetchCommit", () => {
  it("fetches a branch and reads files and nested folders without a checkout", async () => {
    const repo = await createRepo(gitUrl(), "fetch");
    const sha = await repo.commit({
      "project.yaml": "name: p\n",
      "apps/web/app.yaml": "app: web\n",
      "apps/web/deep/er/x.txt": "x\n",
      "apps/api/app.yaml": "app: api\n",
    });
    const snap = await fetchCommit(repo.url, { ref: "main" });
    expect(snap.commit).toBe(sha);
    expect(await snap.readFile("project.yaml")).toBe("name: p\n");
    expect(await snap.readFile("apps/web/deep/er/x.txt")).toBe("x\n");
    expect(await snap.readFile("apps/missing.yaml")).toBeUndefined();
    expect(await snap.readFile("apps/web")).toBeUndefined();
    expect(await snap.treeId("apps/web/deep")).toMatch(/^[0-9a-f]{40}$/);
    expect(await snap.treeId("apps/web/app.yaml")).toBeUndefined();
    expect(await snap.treeId("nope")).toBeUndefined();
  });

  it("gives the same tree id to a folder that did not change between commits", async () => {
    const repo = await createRepo(gitUrl(), "trees");
    await repo.commit({ "apps/web/app.yaml": "app: web\n", "apps/api/app.yaml": "app: api\n" });
    const before = await fetchCommit(repo.url, { ref: "refs/heads/main" });
    await repo.commit({ "apps/api/app.yaml": "app: api\nregion: ams\n" });
    const after = await fetchCommit(repo.url, { ref: "main" });

    expect(after.commit).not.toBe(before.commit);
    expect(await after.treeId("apps/web")).toBe(await before.treeId("apps/web"));
    expect(await after.treeId("apps/api")).not.toBe(await before.treeId("apps/api"));
    expect(await after.treeId("")).not.toBe(await before.treeId(""));
  });

  it("fetches a tag and a pinned commit that no ref points at any more", async () => {
    const repo = await createRepo(gitUrl(), "pins");
    const old = await repo.commit({ "v.txt": "1" });
    await repo.tag("v1", old);
    const head = await repo.commit({ "v.txt": "2" });

    const tagged = await fetchCommit(repo.url, { ref: "v1" });
    expect(tagged.commit).toBe(old);
    expect(await tagged.readFile("v.txt")).toBe("1");

    await repo.deleteRef("refs/tags/v1");
    const pinned = await fetchCommit(repo.url, { commit: old });
    expect(pinned.commit).toBe(old);
    expect(await pinned.readFile("v.txt")).toBe("1");
    expect(await (await fetchCommit(repo.url, { ref: "HEAD" })).readFile("v.txt")).toBe("2");
    expect(head).not.toBe(old);
  });

  it("peels an annotated tag to its commit, over v2 and v1", async () => {
    for (const protocolV1 of [false, true]) {
      const repo = await createRepo(gitUrl(), "annotated", { protocolV1 });
      const sha = await repo.commit({ "v.txt": "1" });
      const tagObject = await repo.annotatedTag("v1.0", "release 1.0", sha);
      await repo.commit({ "v.txt": "2" });
      expect(tagObject).not.toBe(sha);
      const remote = await listRemoteRefs(repo.url, { prefixes: ["refs/tags/"] });
      expect(remote.refs["refs/tags/v1.0"]).toBe(tagObject);
      expect(resolveRemoteRef(remote, "v1.0")).toBe(sha);
      const snap = await fetchCommit(repo.url, { ref: "v1.0" });
      expect(snap.commit).toBe(sha);
      expect(await snap.readFile("v.txt")).toBe("1");
    }
  });

  it("costs two requests for a ref and one for a pinned commit", async () => {
    const repo = await createRepo(gitUrl(), "round-trips");
    const sha = await repo.commit({ "a.txt": "a" });
    let before = await requestsServed(repo.name);
    await fetchCommit(repo.url, { ref: "main" });
    expect(await requestsServed(repo.name)).toBe(before + 2);
    before = await requestsServed(repo.name);
    await fetchCommit(repo.url, { commit: sha });
    expect(await requestsServed(repo.name)).toBe(before + 1);
  });

  it("fetches trees only, with the same tree ids, when file contents are not needed", async () => {
    const repo = await createRepo(gitUrl(), "trees-only");
    await repo.commit({ "apps/web/app.yaml": "app: web\n", "apps/web/big.bin": "x".repeat(200_000) });
    const full = await fetchCommit(repo.url, { ref: "main" });
    const trees = await fetchCommit(repo.url, { ref: "main" }, { treesOnly: true, maxBytes: 20_000 });
    expect(trees.hasBlobs).toBe(false);
    expect(trees.commit).toBe(full.commit);
    expect(await trees.treeId("apps/web")).toBe(await full.treeId("apps/web"));
    expect(await trees.fileTree("apps").list("web")).toEqual(await full.fileTree("apps").list("web"));
    await expect(trees.readFile("apps/web/app.yaml")).rejects.toThrow(/trees-only/);
  });

  it("fetches everything when the server refuses the trees-only filter", async () => {
    const repo = await createRepo(gitUrl(), "no-filter", { noFilter: true });
    await repo.commit({ "apps/web/app.yaml": "app: web\n" });
    const snap = await fetchCommit(repo.url, { ref: "main" }, { treesOnly: true });
    expect(snap.hasBlobs).toBe(true);
    expect(await snap.readFile("apps/web/app.yaml")).toBe("app: web\n");
  });

  it("fetches from a server without protocol v2", async () => {
    const repo = await createRepo(gitUrl(), "v1-fetch", { protocolV1: true });
    const first = await repo.commit({ "a.txt": "1", "dir/b.txt": "b" });
    await repo.commit({ "a.txt": "2" });
    const head = await fetchCommit(repo.url, { ref: "main" });
    expect(await head.readFile("a.txt")).toBe("2");
    expect(await head.treeId("dir")).toMatch(/^[0-9a-f]{40}$/);
    const pinned = await fetchCommit(repo.url, { commit: first });
    expect(await pinned.readFile("a.txt")).toBe("1");
    expect((await gitFailure(fetchCommit(repo.url, { ref: "nope" }))).code).toBe("ref_missing");
  });

  it("says ref_missing for a branch that does not exist, a deleted branch and a bad commit id", async () => {
    const repo = await createRepo(gitUrl(), "missing");
    await repo.commit({ "a.txt": "a" });
    await repo.branch("gone");
    await repo.deleteRef("refs/heads/gone");
    expect((await gitFailure(fetchCommit(repo.url, { ref: "gone" }))).code).toBe("ref_missing");
    expect((await gitFailure(fetchCommit(repo.url, { commit: "abc123" }))).code).toBe("ref_missing");
    const unknown = await gitFailure(fetchCommit(repo.url, { commit: "0123456789abcdef0123456789abcdef01234567" }));
    expect(unknown.code).toBe("ref_missing");
  });

  it("fetches a private repo with credentials and refuses it without", async () => {
    const repo = await createRepo(gitUrl(), "private-fetch", { token: "fetch-tok" });
    await repo.commit({ "secret.yaml": "a: 1\n" });
    const host = new URL(repo.url).host;
    const refused = await gitFailure(fetchCommit(repo.url, { ref: "main" }));
    expect(refused.code).toBe("auth_refused");
    const credentials = parseGitCredentials(JSON.stringify({ [host]: "fetch-tok" }));
    const snap = await fetchCommit(repo.url, { ref: "main" }, { credentials });
    expect(await snap.readFile("secret.yaml")).toBe("a: 1\n");
  });

  it("stops a repo over the byte limit with an error naming the repo and the limit", async () => {
    const repo = await createRepo(gitUrl(), "big");
    // Random bytes do not compress: about 600 kB in the packfile.
    const files: Record<string, string> = {};
    for (let i = 0; i < 6; i++) files[`blob-${i}.bin`] = randomText(100_000);
    await repo.commit(files);
    const err = await gitFailure(fetchCommit(repo.url, { ref: "main" }, { maxBytes: 200_000 }));
    expect(err.code).toBe("too_large");
    expect(err.message).toContain(repo.name);
    expect(err.message).toContain("0.2 MB");
    expect((await fetchCommit(repo.url, { ref: "main" }, { maxBytes: 2_000_000 })).commit).toMatch(/^[0-9a-f]{40}$/);
  });

  it("gives up on a server that hangs", async () => {
    const err = await gitFailure(fetchCommit(`${gitUrl()}/hang/repo.git`, { ref: "main" }, { timeoutMs: 300 }));
    expect(err.code).toBe("timeout");
    expect(err.message).toContain("300 ms");
  });
});

function randomText(length: number): string {
  const bytes = new Uint8Array(length);
  for (let at = 0; at < length; at += 65536) crypto.getRandomValues(bytes.subarray(at, at + 65536));
  return Array.from(bytes, (b) => String.fromCharCode(33 + (b % 90))).join("");
}

describe("fetch limits beyond bytes (issue 13 §6)", () => {
  it("a compression bomb fails with too_large naming the inflated limit; the byte budget alone lets it through", async () => {
    const repo = await createRepo(gitUrl(), "bomb");
    // 6 MB of one byte deflates to a few kilobytes: far below any byte budget.
    await repo.commit({ "app.yaml": "app: web\n", "payload.bin": "x".repeat(6_000_000) });
    const err = await gitFailure(
      fetchCommit(repo.url, { ref: "main" }, { maxBytes: 200_000, maxInflatedBytes: 4 << 20 }),
    );
    expect(err.code).toBe("too_large");
    expect(err.message).toMatch(
      /bomb-.*: fetching main: the packfile is too large: its objects inflate to more than the limit of 4 MiB/,
    );
    expect(err.data).toMatchObject({ limitInflatedBytes: 4 << 20 });
    // The same repo under a limit it fits reads fine: the walk measures, it does not refuse at random.
    const snap = await fetchCommit(repo.url, { ref: "main" }, { maxBytes: 200_000, maxInflatedBytes: 8 << 20 });
    expect(await snap.readFile("app.yaml")).toBe("app: web\n");
  });

  it("a repo with more objects than the limit fails with too_large naming it", async () => {
    const repo = await createRepo(gitUrl(), "many");
    const files = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`f/${i}.txt`, `${i}\n`]));
    await repo.commit(files);
    const err = await gitFailure(fetchCommit(repo.url, { ref: "main" }, { maxObjects: 20 }));
    expect(err.code).toBe("too_large");
    expect(err.message).toMatch(/it has 4\d objects, more than the limit of 20/);
  });

  it("over protocol v1, a compression bomb fails with too_large naming the inflated limit; the byte budget alone lets it through", async () => {
    const repo = await createRepo(gitUrl(), "bomb-v1", { protocolV1: true });
    await repo.commit({ "app.yaml": "app: web\n", "payload.bin": "x".repeat(6_000_000) });
    const err = await gitFailure(
      fetchCommit(repo.url, { ref: "main" }, { maxBytes: 200_000, maxInflatedBytes: 4 << 20 }),
    );
    expect(err.code).toBe("too_large");
    expect(err.message).toMatch(
      /bomb-v1-.*: fetching main: the packfile is too large: its objects inflate to more than the limit of 4 MiB/,
    );
    expect(err.data).toMatchObject({ limitInflatedBytes: 4 << 20 });
    const snap = await fetchCommit(repo.url, { ref: "main" }, { maxBytes: 200_000, maxInflatedBytes: 8 << 20 });
    expect(await snap.readFile("app.yaml")).toBe("app: web\n");
  });

  it("over protocol v1, a repo with more objects than the limit fails with too_large naming it", async () => {
    const repo = await createRepo(gitUrl(), "many-v1", { protocolV1: true });
    const files = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`f/${i}.txt`, `${i}\n`]));
    const sha = await repo.commit(files);
    const err = await gitFailure(fetchCommit(repo.url, { commit: sha }, { maxObjects: 20 }));
    expect(err.code).toBe("too_large");
    expect(err.message).toMatch(
      /many-v1-.*: fetching [0-9a-f]{40}: the packfile is too large: it has 4\d objects, more than the limit of 20/,
    );
    expect(err.data).toMatchObject({ limitObjects: 20 });
    const snap = await fetchCommit(repo.url, { ref: "main" }, { maxObjects: 50 });
    expect(await snap.readFile("f/39.txt")).toBe("39\n");
  });
});
