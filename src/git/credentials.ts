/**
 * Tokens for private repos, per host, from the `GIT_CREDENTIALS` secret:
 *
 *   {"github.com": "ghp_…", "gitlab.com": "glpat-…", "git.example.com": {"username": "me", "token": "…"}}
 *
 * Sent as HTTP basic auth with the token as password: GitHub takes any user name (apps use
 * `x-access-token`), GitLab wants `oauth2` for OAuth tokens and accepts it for personal tokens,
 * Bitbucket wants `x-token-auth`, Gitea takes any user name with a token as password. The class
 * keeps tokens out of JSON and string forms so logging it leaks nothing.
 */
import { gitError } from "./git-error";
import { readRepoUrl } from "./repo-url";

interface Login {
  username: string;
  password: string;
}

export class GitCredentials {
  readonly #byHost: Map<string, Login>;

  constructor(byHost: Map<string, Login> = new Map()) {
    this.#byHost = byHost;
  }

  /** The `Authorization` header for a repo URL, or undefined when its host has no token. */
  authorization(url: string): string | undefined {
    const login = this.#byHost.get(readRepoUrl(url).origin);
    if (!login) return undefined;
    const bytes = new TextEncoder().encode(`${login.username}:${login.password}`);
    return `Basic ${btoa(String.fromCharCode(...bytes))}`;
  }

  /**
   * The `Authorization` value for the host's REST API (commit statuses): the same token as a
   * bearer. GitHub, Gitea/Forgejo and GitLab (personal, project and OAuth tokens) all take it.
   */
  apiAuthorization(host: string): string | undefined {
    const login = this.#byHost.get(host.toLowerCase());
    return login ? `Bearer ${login.password}` : undefined;
  }

  hosts(): string[] {
    return [...this.#byHost.keys()];
  }

  toJSON(): Record<string, string> {
    return Object.fromEntries(this.hosts().map((h) => [h, "***"]));
  }

  toString(): string {
    return `GitCredentials(${this.hosts().join(", ")})`;
  }
}

export const noCredentials = new GitCredentials();

export function parseGitCredentials(json: string | undefined): GitCredentials {
  if (json === undefined || json.trim() === "") return noCredentials;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    // The parser's message quotes the text, which is a secret.
    throw gitError("invalid_credentials", "GIT_CREDENTIALS", 'not valid JSON (expected {"host": "token"})');
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw gitError("invalid_credentials", "GIT_CREDENTIALS", 'expected a JSON object {"host": "token"}');
  }
  const byHost = new Map<string, Login>();
  for (const [rawHost, entry] of Object.entries(value)) {
    const host = rawHost.trim().toLowerCase();
    const token = typeof entry === "string" ? entry : (entry as { token?: unknown })?.token;
    const username = typeof entry === "object" ? (entry as { username?: unknown })?.username : undefined;
    if (!/^[a-z0-9.-]+(:\d+)?$/.test(host) || typeof token !== "string" || token === "") {
      throw gitError("invalid_credentials", "GIT_CREDENTIALS", `entry "${rawHost}" needs a host name and a token`);
    }
    if (username !== undefined && typeof username !== "string") {
      throw gitError("invalid_credentials", "GIT_CREDENTIALS", `entry "${rawHost}": username must be a string`);
    }
    byHost.set(host, { username: username ?? defaultUsername(host), password: token });
  }
  return new GitCredentials(byHost);
}

function defaultUsername(host: string): string {
  if (host.includes("gitlab")) return "oauth2";
  if (host === "bitbucket.org") return "x-token-auth";
  return "x-access-token";
}
