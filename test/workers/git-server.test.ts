import git from "isomorphic-git";
import http from "isomorphic-git/http/web";
import { describe, expect, inject, it } from "vitest";
import { createRepo } from "../support/fixture-repo";

// The foundation's end-to-end check: a fixture repo built through the git server's control API
// is served by real `git http-backend`, and its refs are listed from inside workerd.
describe("test git server", () => {
  it("serves fixture repos whose refs workerd can list", async () => {
    const repo = await createRepo(inject("gitUrl"), "hello");
    const first = await repo.commit({ "README.md": "hello\n" });
    const second = await repo.commit({ "app.yaml": "app: x\n" }, { branch: "feature", parent: first });
    await repo.tag("v1", first);

    const refs = await git.listServerRefs({ http, url: repo.url, protocolVersion: 2 });
    const byName = Object.fromEntries(refs.map((r) => [r.ref, r.oid]));
    expect(byName["refs/heads/main"]).toBe(first);
    expect(byName["refs/heads/feature"]).toBe(second);
    expect(byName["refs/tags/v1"]).toBe(first);
    expect(byName.HEAD).toBe(first);
  });

  it("refuses a private repo without the token and serves it with it", async () => {
    const repo = await createRepo(inject("gitUrl"), "private", { token: "s3cret" });
    const sha = await repo.commit({ "a.txt": "a" });
    await expect(git.listServerRefs({ http, url: repo.url })).rejects.toThrow(/401/);
    const refs = await git.listServerRefs({
      http,
      url: repo.url,
      onAuth: () => ({ username: "x", password: "s3cret" }),
    });
    expect(refs.find((r) => r.ref === "refs/heads/main")?.oid).toBe(sha);
  });

  it("answers 404 for a repo that does not exist", async () => {
    await expect(git.listServerRefs({ http, url: `${inject("gitUrl")}/missing.git` })).rejects.toThrow(/404/);
  });
});
