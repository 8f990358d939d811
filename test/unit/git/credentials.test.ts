import { describe, expect, it } from "vitest";
import { parseGitCredentials } from "../../../src/git/credentials";

const login = (header: string | undefined) => (header ? atob(header.replace(/^Basic /, "")) : undefined);

describe("parseGitCredentials", () => {
  it("maps hosts to basic auth with the user name each forge expects", () => {
    const creds = parseGitCredentials(
      JSON.stringify({
        "GitHub.com": "ghp_1",
        "gitlab.com": "glpat-2",
        "bitbucket.org": "bb-3",
        "git.example.com:8443": { username: "me", token: "t4" },
      }),
    );
    expect(login(creds.authorization("git@github.com:acme/web.git"))).toBe("x-access-token:ghp_1");
    expect(login(creds.authorization("https://gitlab.com/g/sub/r"))).toBe("oauth2:glpat-2");
    expect(login(creds.authorization("https://bitbucket.org/a/b"))).toBe("x-token-auth:bb-3");
    expect(login(creds.authorization("https://git.example.com:8443/a/b"))).toBe("me:t4");
    expect(creds.authorization("https://git.example.com/a/b")).toBeUndefined();
    expect(creds.authorization("https://codeberg.org/a/b")).toBeUndefined();
  });

  it("never shows a token when printed or serialised", () => {
    const creds = parseGitCredentials('{"github.com":"ghp_secret"}');
    expect(JSON.stringify({ creds })).toBe('{"creds":{"github.com":"***"}}');
    expect(String(creds)).not.toContain("ghp_secret");
  });

  it("treats a missing secret as no credentials and rejects bad ones without echoing them", () => {
    expect(parseGitCredentials(undefined).hosts()).toEqual([]);
    expect(parseGitCredentials("  ").hosts()).toEqual([]);
    for (const bad of ["{ghp_secret", '["ghp_secret"]', '{"github.com": ""}', '{"a b": "ghp_secret"}']) {
      let message = "";
      try {
        parseGitCredentials(bad);
      } catch (err) {
        message = (err as Error).message;
        expect((err as { code: string }).code).toBe("invalid_credentials");
      }
      expect(message).toMatch(/GIT_CREDENTIALS/);
      expect(message).not.toContain("ghp_secret");
    }
  });
});
