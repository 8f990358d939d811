import { describe, expect, it } from "vitest";
import { parseRepoUrl } from "../../../src/base/repo-url";

const key = (url: string) => {
  const parsed = parseRepoUrl(url);
  if (!parsed.ok) throw new Error(`${url}: ${parsed.reason}`);
  return parsed.repo.key;
};
const fetchUrl = (url: string) => {
  const parsed = parseRepoUrl(url);
  if (!parsed.ok) throw new Error(`${url}: ${parsed.reason}`);
  return parsed.repo.fetchUrl;
};
const reason = (url: string) => {
  const parsed = parseRepoUrl(url);
  return parsed.ok ? null : parsed.reason;
};

describe("parseRepoUrl: the one repo key and fetch target", () => {
  it.each([
    ["https://github.com/Acme/Web", "github.com/acme/web", "https://github.com/Acme/Web.git"],
    ["https://GitHub.com/acme/web.git", "github.com/acme/web", "https://github.com/acme/web.git"],
    ["https://github.com/acme/web.git/", "github.com/acme/web", "https://github.com/acme/web.git"],
    ["https://github.com/acme/web//", "github.com/acme/web", "https://github.com/acme/web.git"],
    ["git@github.com:acme/web.git", "github.com/acme/web", "https://github.com/acme/web.git"],
    ["git@GitHub.com:Acme/Web", "github.com/acme/web", "https://github.com/Acme/Web.git"],
    ["github.com:acme/web", "github.com/acme/web", "https://github.com/acme/web.git"],
    ["github.com/acme/web", "github.com/acme/web", "https://github.com/acme/web.git"],
    ["ssh://git@github.com/acme/web.git", "github.com/acme/web", "https://github.com/acme/web.git"],
    ["git+ssh://git@github.com/acme/web", "github.com/acme/web", "https://github.com/acme/web.git"],
    [
      "ssh://git@gitlab.example.com:2222/group/sub/Proj.git",
      "gitlab.example.com/group/sub/Proj",
      "https://gitlab.example.com/group/sub/Proj.git",
    ],
    ["https://github.com:443/acme/web", "github.com/acme/web", "https://github.com/acme/web.git"],
    ["https://git.example.com:8443/Acme/Web", "git.example.com/Acme/Web", "https://git.example.com:8443/Acme/Web.git"],
    ["http://127.0.0.1:8080/repos/app.git", "127.0.0.1/repos/app", "http://127.0.0.1:8080/repos/app.git"],
    ["https://[::1]:8443/o/r", "[::1]/o/r", "https://[::1]:8443/o/r.git"],
    ["  https://github.com/acme/web  ", "github.com/acme/web", "https://github.com/acme/web.git"],
  ])("%s → key %s, fetched from %s", (url, wantKey, wantFetch) => {
    expect(key(url)).toBe(wantKey);
    expect(fetchUrl(url)).toBe(wantFetch);
  });

  it("keeps the case of paths on hosts other than GitHub, and folds host case everywhere", () => {
    expect(key("https://GITLAB.example.com/Acme/Web")).toBe("gitlab.example.com/Acme/Web");
    expect(key("https://gitlab.example.com/acme/web")).not.toBe(key("https://gitlab.example.com/Acme/Web"));
    expect(key("https://github.com/acme/web")).toBe(key("git@GITHUB.com:ACME/WEB.git"));
  });

  it.each([
    ["https://evil.example\\@github.com/acme/web", /backslash/],
    ["https://github.com\\acme\\web", /backslash/],
    ["https://user:token@github.com/acme/web.git", /GIT_CREDENTIALS/],
    ["http://tok@127.0.0.1:8080/o/r", /GIT_CREDENTIALS/],
    ["user:tok@github.com/acme/web", /segments/],
    ["tok@github.com/acme/web", /GIT_CREDENTIALS/],
    ["ssh://a@b@github.com/acme/web", /more than one `@`/],
    ["https://github.com/acme/%2e%2e/evil", /percent/],
    ["https://github.com/acme/../evil/web", /segments/],
    ["https://github.com/acme/./web", /segments/],
    ["https://github.com/acme//web", /segments/],
    ["https://github.com/acme/web?x=1", /query/],
    ["https://github.com#@evil.example/acme/web", /query/],
    ["https://git hub.com/acme/web", /whitespace/],
    ["https://bücher.example/acme/web", /non-ASCII/],
    ["ftp://host/o/r", /not a git transport/],
    ["https://host/", /segments/],
    ["https://", /no repository path/],
    ["", /empty/],
    ["https://-bad.example/o/r", /not a host name/],
    ["https://github.com:99999/o/r", /out of range/],
  ])("refuses %s", (url, why) => {
    expect(reason(url)).toMatch(why);
  });

  it("never echoes the URL (it may hold a token) in a refusal", () => {
    expect(reason("https://x-access-token:ghp_s3cr3t@github.com/acme/web")).not.toContain("ghp_s3cr3t");
  });
});

/** mulberry32: a small seeded PRNG, so a failing case can be replayed. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = {
  lead: ["", "", " ", "\t", "\n"],
  scheme: [
    "https://",
    "https://",
    "http://",
    "ssh://",
    "git://",
    "git+ssh://",
    "HTTPS://",
    "ftp://",
    "",
    "",
    "file://",
  ],
  user: ["", "", "", "git@", "user:tok@", "evil.example\\@", "evil.example@", "a@b@", "%40@", "git@@", "@"],
  host: [
    "github.com",
    "GitHub.COM",
    "gitlab.example.com",
    "evil.example",
    "127.0.0.1",
    "[::1]",
    "[2001:db8::1]",
    "xn--bcher-kva.example",
    "bücher.example",
    "github.com.",
    "-bad.example",
    "github.com\\@evil.example",
    "github.com%2eevil.example",
    "",
  ],
  port: ["", "", "", ":22", ":443", ":8080", ":99999", ":", ":0x50"],
  sep: ["/", "/", "/", ":", "\\", "//", "/./", "@"],
  part: [
    "acme",
    "Acme",
    "web",
    "Web",
    "web.git",
    "..",
    ".",
    "%2e%2e",
    "a b",
    "é",
    "~user",
    "x@y",
    "a%2Fb",
    "",
    "a\\b",
    "sub",
  ],
  tail: ["", "", "/", ".git", ".git/", "//", "?x=1", "#frag", " ", "\n", "\\"],
};

function hostileUrl(next: () => number): string {
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
  const parts = Array.from({ length: 1 + Math.floor(next() * 3) }, () => pick(PIECES.part));
  return (
    pick(PIECES.lead) +
    pick(PIECES.scheme) +
    pick(PIECES.user) +
    pick(PIECES.host) +
    pick(PIECES.port) +
    pick(PIECES.sep) +
    parts.join(next() < 0.9 ? "/" : "\\") +
    pick(PIECES.tail) +
    pick(PIECES.lead)
  );
}

describe("parseRepoUrl over hostile input (seeded fuzz)", () => {
  it("whenever it accepts a URL, the key and the fetch target name the same host and path", () => {
    const next = random(0x5eed);
    let accepted = 0;
    for (let i = 0; i < 60_000; i++) {
      const input = hostileUrl(next);
      const parsed = parseRepoUrl(input);
      if (!parsed.ok) continue;
      accepted++;
      const { repo } = parsed;
      // Read the fetch target with the WHATWG parser (what fetch() will do), independently of ours.
      const target = new URL(repo.fetchUrl);
      const context = `${JSON.stringify(input)} → ${JSON.stringify(repo)}`;
      expect(target.username + target.password, context).toBe("");
      expect(target.hostname, context).toBe(repo.host);
      expect(target.pathname, context).toBe(`/${repo.path}.git`);
      const keyPath = repo.host === "github.com" ? repo.path.toLowerCase() : repo.path;
      expect(repo.key, context).toBe(`${target.hostname}/${keyPath}`);
      // The fetch target, read again, is the same repo.
      const again = parseRepoUrl(repo.fetchUrl);
      expect(again.ok && again.repo.key, context).toBe(repo.key);
      // Where WHATWG can read the input itself (http/https), it sees the same host.
      if (/^\s*https?:\/\//i.test(input)) expect(new URL(input.trim()).hostname, context).toBe(repo.host);
    }
    // The generator must reach both sides, or the property says nothing.
    expect(accepted).toBeGreaterThan(400);
  });
});
