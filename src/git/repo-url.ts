/**
 * Repo URLs in every spelling people write them (`git@host:o/r`, `ssh://git@host:22/o/r`,
 * `https://user:tok@host/o/r.git/`) reduced to one key, `host/owner/name` (ports dropped), so a
 * webhook, a config `source` and a watched repo all name the same thing; and the HTTPS URL to
 * fetch it from, since Workers cannot speak git over SSH (that one keeps an HTTP(S) port).
 */
import { repoKey } from "../config/repo-key";
import { GitError } from "../errors";

interface ParsedRepoUrl {
  /** `https:` or `http:` (plain http is kept only when the URL said so: local test servers). */
  protocol: "https:" | "http:";
  /** Lowercase host, with the port when it is not the protocol's default. */
  host: string;
  /** `owner/name` (or deeper, e.g. GitLab subgroups), without `.git` and slashes at the ends. */
  path: string;
}

const SCP_LIKE = /^(?:[^@/\s]+@)?([^:/\s]+):(?!\/\/)(.+)$/;

export function parseRepoUrl(url: string): ParsedRepoUrl {
  const text = url.trim();
  const scp = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? null : SCP_LIKE.exec(text);
  if (scp?.[1] && scp[2]) return { protocol: "https:", host: scp[1].toLowerCase(), path: cleanPath(url, scp[2]) };
  let parsed: URL;
  try {
    parsed = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`);
  } catch {
    throw invalid(url);
  }
  const scheme = parsed.protocol;
  if (!["https:", "http:", "ssh:", "git:", "git+ssh:", "ssh+git:"].includes(scheme) || !parsed.hostname) {
    throw invalid(url);
  }
  // An SSH or git:// port says nothing about the HTTPS port, so it is dropped.
  const keepPort = (scheme === "https:" || scheme === "http:") && parsed.port !== "";
  const host = parsed.hostname.toLowerCase() + (keepPort ? `:${parsed.port}` : "");
  return { protocol: scheme === "http:" ? "http:" : "https:", host, path: cleanPath(url, parsed.pathname) };
}

/**
 * `host/owner/name`: the one key a repo is known by. The key itself is config's `repoKey` (one
 * implementation, so webhooks, config and git agree); this adds the check that it is a git URL.
 */
export function normaliseRepoUrl(url: string): string {
  parseRepoUrl(url);
  return repoKey(url);
}

/** The URL to fetch over smart HTTP: SSH spellings become HTTPS, credentials are dropped. */
export function httpsCloneUrl(url: string): string {
  const { protocol, host, path } = parseRepoUrl(url);
  return `${protocol}//${host}/${path}.git`;
}

/** A URL safe for messages: the key, never user info or tokens. */
export function describeRepo(url: string): string {
  try {
    return normaliseRepoUrl(url);
  } catch {
    return "<unparseable repo url>";
  }
}

function cleanPath(url: string, raw: string): string {
  const path = raw
    .replace(/[?#].*$/, "")
    .replace(/^\/+|\/+$/g, "")
    .replace(/\.git$/i, "")
    .replace(/\/+$/, "");
  if (!path || path.split("/").some((part) => part === "" || part === "." || part === "..")) throw invalid(url);
  return path;
}

function invalid(url: string): GitError {
  // The raw URL may hold a token, so the message describes the problem without echoing it.
  const shown = url.replace(/\/\/[^@/]*@/, "//***@");
  return new GitError("invalid_url", `not a git repository URL: ${shown}`, { repo: shown });
}
