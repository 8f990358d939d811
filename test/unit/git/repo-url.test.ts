import { describe, expect, it } from "vitest";
import { describeRepo, httpsCloneUrl, normaliseRepoUrl } from "../../../src/git/repo-url";

describe("normaliseRepoUrl", () => {
  it.each([
    ["git@github.com:Acme/Web.git", "github.com/Acme/Web"],
    ["git@GitHub.com:acme/web", "github.com/acme/web"],
    ["ssh://git@github.com/acme/web.git", "github.com/acme/web"],
    ["ssh://git@gitlab.example.com:2222/group/sub/web.git", "gitlab.example.com/group/sub/web"],
    ["git+ssh://git@github.com/acme/web", "github.com/acme/web"],
    ["https://github.com/acme/web", "github.com/acme/web"],
    ["https://github.com/acme/web.git", "github.com/acme/web"],
    ["https://github.com/acme/web.git/", "github.com/acme/web"],
    ["https://x-access-token:tok@GITHUB.COM/acme/web//", "github.com/acme/web"],
    ["https://github.com:443/acme/web", "github.com/acme/web"],
    ["https://git.example.com:8443/acme/web", "git.example.com/acme/web"],
    ["http://127.0.0.1:41234/config-abc.git", "127.0.0.1/config-abc"],
    ["github.com/acme/web", "github.com/acme/web"],
    ["  https://github.com/acme/web?x=1  ", "github.com/acme/web"],
  ])("%s → %s", (url, key) => {
    expect(normaliseRepoUrl(url)).toBe(key);
  });

  it("rejects what is not a repo URL, without echoing credentials", () => {
    for (const bad of ["", "https://", "ftp://host/o/r", "https://host/", "https://host/o//r"]) {
      expect(() => normaliseRepoUrl(bad), bad).toThrow(/not a git repository URL/);
    }
    const err = (() => {
      try {
        normaliseRepoUrl("https://user:sekrit@host/");
      } catch (e) {
        return e as { code: string; message: string };
      }
    })();
    expect(err?.code).toBe("invalid_url");
    expect(err?.message).not.toContain("sekrit");
  });
});

describe("httpsCloneUrl", () => {
  it.each([
    ["git@github.com:acme/web.git", "https://github.com/acme/web.git"],
    ["ssh://git@gitlab.example.com:2222/group/web", "https://gitlab.example.com/group/web.git"],
    ["https://tok@github.com/acme/web", "https://github.com/acme/web.git"],
    ["http://127.0.0.1:41234/config-abc.git", "http://127.0.0.1:41234/config-abc.git"],
  ])("%s → %s", (url, clone) => {
    expect(httpsCloneUrl(url)).toBe(clone);
  });

  it("describes a repo for messages without its credentials", () => {
    expect(describeRepo("https://x:tok@github.com/acme/web.git")).toBe("github.com/acme/web");
    expect(describeRepo("::")).toBe("<unparseable repo url>");
  });
});
