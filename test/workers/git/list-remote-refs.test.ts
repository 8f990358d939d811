import { describe, expect, it } from "vitest";
import { listRemoteRefs, parseGitCredentials, resolveRemoteRef } from "../../../src/git";
import { createRepo } from "../../support/fixture-repo";
import { gitFailure, gitUrl, requestsServed } from "./helpers";

describe("listRemoteRefs", () => {
  it("lists branches, tags and HEAD in one request", async () => {
    const repo = await createRepo(gitUrl(), "refs");
    const first = await repo.commit({ "README.md": "one\n" });
    const feature = await repo.commit({ "a.txt": "a" }, { branch: "feature", parent: first });
    await repo.tag("v1", first);
    const before = await requestsServed(repo.name);

    const remote = await listRemoteRefs(repo.url);

    expect(await requestsServed(repo.name)).toBe(before + 1);
    expect(remote.protocol).toBe(2);
    expect(remote.refs).toEqual({
      HEAD: first,
      "refs/heads/main": first,
      "refs/heads/feature": feature,
      "refs/tags/v1": first,
    });
    expect(remote.head).toBe("refs/heads/main");
    expect(resolveRemoteRef(remote, "feature")).toBe(feature);
    expect(resolveRemoteRef(remote, "v1")).toBe(first);
    expect(resolveRemoteRef(remote, "gone")).toBeUndefined();
  });

  it("sees a moved branch and a deleted branch", async () => {
    const repo = await createRepo(gitUrl(), "moves");
    const first = await repo.commit({ "a.txt": "1" });
    await repo.branch("doomed");
    expect((await listRemoteRefs(repo.url)).refs["refs/heads/doomed"]).toBe(first);

    const second = await repo.commit({ "a.txt": "2" });
    await repo.deleteRef("refs/heads/doomed");
    const after = await listRemoteRefs(repo.url, { prefixes: ["refs/heads/"] });
    expect(after.refs).toEqual({ "refs/heads/main": second });
  });

  it("keeps a repo with many refs small with a prefix", async () => {
    const repo = await createRepo(gitUrl(), "many");
    const sha = await repo.commit({ "a.txt": "a" });
    await repo.manyRefs("refs/pull/", 3000);
    const all = await listRemoteRefs(repo.url);
    expect(Object.keys(all.refs)).toHaveLength(3002);

    // The prefix is applied by the server: a byte budget far below the full list still passes.
    const main = await listRemoteRefs(repo.url, { prefixes: ["refs/heads/main"], maxBytes: 2048 });
    expect(main.refs).toEqual({ "refs/heads/main": sha });
    const tooMany = await gitFailure(listRemoteRefs(repo.url, { maxBytes: 2048 }));
    expect(tooMany.code).toBe("too_large");
  });

  it("falls back to protocol v1 on a server without v2, filtering by prefix", async () => {
    const repo = await createRepo(gitUrl(), "old-server", { protocolV1: true });
    const sha = await repo.commit({ "a.txt": "a" });
    await repo.tag("v2", sha);
    const remote = await listRemoteRefs(repo.url, { prefixes: ["refs/tags/", "HEAD"] });
    expect(remote.protocol).toBe(1);
    expect(remote.refs).toEqual({ HEAD: sha, "refs/tags/v2": sha });
    expect(remote.head).toBe("refs/heads/main");
  });

  it("reads a private repo with credentials for its host and refuses it without", async () => {
    const repo = await createRepo(gitUrl(), "private", { token: "tok-123" });
    const sha = await repo.commit({ "a.txt": "a" });
    const host = new URL(repo.url).host;

    const refused = await gitFailure(listRemoteRefs(repo.url));
    expect(refused.code).toBe("auth_refused");
    const wrong = await gitFailure(
      listRemoteRefs(repo.url, { credentials: parseGitCredentials(JSON.stringify({ [host]: "nope" })) }),
    );
    expect(wrong.code).toBe("auth_refused");
    expect(wrong.message).toContain(`${new URL(repo.url).hostname}/${repo.name}`);

    const credentials = parseGitCredentials(JSON.stringify({ [host]: "tok-123" }));
    expect((await listRemoteRefs(repo.url, { credentials })).refs["refs/heads/main"]).toBe(sha);
    expect(JSON.stringify({ credentials })).not.toContain("tok-123");
  });

  it("refuses a token written into the URL, without sending or showing it", async () => {
    const repo = await createRepo(gitUrl(), "url-token", { token: "in-url-tok" });
    await repo.commit({ "a.txt": "a" });
    const withToken = repo.url.replace("http://", "http://someone:in-url-tok@");
    // Tokens come from GIT_CREDENTIALS only: a URL with one is refused before any request.
    const err = await gitFailure(listRemoteRefs(withToken));
    expect(err.code).toBe("invalid_url");
    expect(err.message).toMatch(/GIT_CREDENTIALS/);
    expect(JSON.stringify({ message: err.message, data: err.data })).not.toContain("in-url-tok");
  });

  it("says not_found for a repo that does not exist", async () => {
    const err = await gitFailure(listRemoteRefs(`${gitUrl()}/no-such-repo.git`));
    expect(err.code).toBe("not_found");
    expect(err.data.repo).toBe(`${new URL(gitUrl()).hostname}/no-such-repo`);
  });

  it("gives up on a server that never answers, naming the limit", async () => {
    const err = await gitFailure(listRemoteRefs(`${gitUrl()}/hang/slow.git`, { timeoutMs: 300 }));
    expect(err.code).toBe("timeout");
    expect(err.message).toMatch(/hang\/slow.*300 ms/);
  });

  it("gives up on a server that starts an answer and never finishes it", async () => {
    const started = Date.now();
    const err = await gitFailure(listRemoteRefs(`${gitUrl()}/stall/slow.git`, { timeoutMs: 300 }));
    expect(err.code).toBe("timeout");
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("says network when nothing listens", async () => {
    const err = await gitFailure(listRemoteRefs("http://127.0.0.1:1/nothing.git", { timeoutMs: 5000 }));
    expect(err.code).toBe("network");
  });
});
