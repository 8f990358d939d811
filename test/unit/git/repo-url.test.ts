import { describe, expect, it } from "vitest";
import { GitCredentials } from "../../../src/git/credentials";
import { describeRepo, httpsCloneUrl, normaliseRepoUrl } from "../../../src/git/repo-url";

// The grammar itself is tested in test/unit/base/repo-url.test.ts; these are git's wrappers.
describe("normaliseRepoUrl", () => {
  it.each([
    ["git@github.com:Acme/Web.git", "github.com/acme/web"],
    ["ssh://git@gitlab.example.com:2222/group/sub/web.git", "gitlab.example.com/group/sub/web"],
    ["https://GITHUB.COM/acme/web//", "github.com/acme/web"],
    ["http://127.0.0.1:41234/config-abc.git", "127.0.0.1/config-abc"],
  ])("%s → %s", (url, key) => {
    expect(normaliseRepoUrl(url)).toBe(key);
  });

  it("refuses a URL whose key and fetch target could name different repos", () => {
    // WHATWG URL reads `\` as `/` (host evil.example); a split on the last `@` reads github.com.
    expect(() => normaliseRepoUrl("https://evil.example\\@github.com/acme/web")).toThrow(/backslash/);
    expect(() => httpsCloneUrl("https://evil.example\\@github.com/acme/web")).toThrow(/backslash/);
  });

  it("rejects what is not a repo URL, without echoing credentials", () => {
    for (const bad of ["", "https://", "ftp://host/o/r", "https://host/", "https://host/o//r"]) {
      expect(() => normaliseRepoUrl(bad), bad).toThrow(/not a git repository URL/);
    }
    const err = (() => {
      try {
        normaliseRepoUrl("https://user:sekrit@host/o/r");
      } catch (e) {
        return e as { code: string; message: string };
      }
    })();
    expect(err?.code).toBe("invalid_url");
    expect(err?.message).toMatch(/GIT_CREDENTIALS/);
    expect(err?.message).not.toContain("sekrit");
  });
});

describe("httpsCloneUrl", () => {
  it.each([
    ["git@github.com:acme/web.git", "https://github.com/acme/web.git"],
    ["ssh://git@gitlab.example.com:2222/group/web", "https://gitlab.example.com/group/web.git"],
    ["http://127.0.0.1:41234/config-abc.git", "http://127.0.0.1:41234/config-abc.git"],
  ])("%s → %s", (url, clone) => {
    expect(httpsCloneUrl(url)).toBe(clone);
  });

  it("describes a repo for messages without its credentials", () => {
    expect(describeRepo("https://github.com/acme/web.git")).toBe("github.com/acme/web");
    expect(describeRepo("https://x:tok@github.com/acme/web.git")).toBe("<unparseable repo url>");
    expect(describeRepo("::")).toBe("<unparseable repo url>");
  });
});

describe("GitCredentials", () => {
  it("picks the login by the fetch target's host and port", () => {
    const creds = new GitCredentials(
      new Map([
        ["github.com", { username: "x", password: "a" }],
        ["git.example.com:8443", { username: "x", password: "b" }],
      ]),
    );
    expect(creds.authorization("git@GitHub.com:acme/web")).toBe(`Basic ${btoa("x:a")}`);
    expect(creds.authorization("https://git.example.com:8443/o/r")).toBe(`Basic ${btoa("x:b")}`);
    expect(creds.authorization("https://git.example.com/o/r")).toBeUndefined();
  });
});
