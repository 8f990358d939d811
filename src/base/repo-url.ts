/**
 * The one reading of a git repo URL. A repo key (`host/owner/name`, what webhooks, config and
 * watches compare) and the URL Tower fetches must name the same repo, so both come from one parse
 * here; anything this grammar does not know is refused rather than guessed at (a backslash or
 * `%2e%2e` that one reader treats as data and another as structure is how a key for one repo ends
 * up fetching another).
 *
 * Accepted: `https://host[:port]/owner/name[.git][/]`, `http://` the same (local servers),
 * `ssh://[user@]host[:port]/…`, `git://`, `git+ssh://`, scp-style `[user@]host:owner/name`, and a
 * bare `host/owner/name`. Refused: user info in http(s) URLs (credentials belong in
 * GIT_CREDENTIALS), backslashes, whitespace or non-ASCII inside, percent-encoding, `?`/`#`, empty,
 * `.` or `..` segments.
 */

export interface RepoUrl {
  /** `host/owner/name`: host lowercased, no port; GitHub paths lowercased (GitHub ignores case). */
  key: string;
  /** Where to fetch over smart HTTP: https unless the URL said http; keeps an http(s) port. */
  fetchUrl: string;
  /** Lowercase host name (IPv6 in brackets), without port. */
  host: string;
  /** Lowercase host with the http(s) port when not the default: what credentials are keyed by. */
  origin: string;
  /** `owner/name` as written (subgroups allowed), without `.git` and slashes at the ends. */
  path: string;
}

export type RepoUrlParse = { ok: true; repo: RepoUrl } | { ok: false; reason: string };

const SCHEMES = new Set(["https", "http", "ssh", "git", "git+ssh", "ssh+git"]);
const HOST_NAME = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$/i;
const IPV6 = /^\[[0-9a-f:.]+\]$/i;
const USER = /^[A-Za-z0-9._-]+$/;
const SEGMENT = /^[A-Za-z0-9._~-]+$/;
/** Hosts whose repo paths are case-insensitive, so the key folds them. */
const CASE_INSENSITIVE_PATHS = new Set(["github.com"]);

export function parseRepoUrl(input: string): RepoUrlParse {
  const text = input.trim();
  if (text === "") return refuse("the URL is empty");
  if (text.includes("\\")) return refuse("a backslash is not allowed in a repo URL");
  if (/[^\x21-\x7e]/.test(text)) return refuse("whitespace and non-ASCII characters are not allowed in a repo URL");
  if (text.includes("%")) return refuse("percent-encoding is not allowed in a repo URL");
  if (/[?#]/.test(text)) return refuse("a repo URL has no query or fragment (`?`, `#`)");

  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(text);
  let protocol: "https:" | "http:" = "https:";
  let authority: string;
  let rawPath: string;
  let keepPort = false;
  if (scheme) {
    const name = scheme[1]!.toLowerCase();
    if (!SCHEMES.has(name)) return refuse(`${name}:// is not a git transport Tower reads (https, http, ssh, git)`);
    const rest = text.slice(scheme[0].length);
    const slash = rest.indexOf("/");
    if (slash < 0) return refuse("the URL names no repository path");
    authority = rest.slice(0, slash);
    rawPath = rest.slice(slash + 1);
    if (name === "http" || name === "https") {
      if (authority.includes("@")) {
        return refuse("credentials in a repo URL are not allowed; set them in GIT_CREDENTIALS");
      }
      protocol = name === "http" ? "http:" : "https:";
      keepPort = true;
    }
  } else {
    // scp-style `[user@]host:path` (the colon comes before any slash), else a bare `host/path`.
    const colon = text.indexOf(":");
    const slash = text.indexOf("/");
    const bracketEnd = text.startsWith("[") || text.includes("@[") ? text.indexOf("]") : -1;
    const sep = bracketEnd >= 0 ? text.indexOf(":", bracketEnd) : colon;
    if (sep >= 0 && (slash < 0 || sep < slash)) {
      authority = text.slice(0, sep);
      rawPath = text.slice(sep + 1).replace(/^\//, "");
    } else if (slash > 0) {
      authority = text.slice(0, slash);
      rawPath = text.slice(slash + 1);
      if (authority.includes("@"))
        return refuse("credentials in a repo URL are not allowed; set them in GIT_CREDENTIALS");
    } else {
      return refuse("not a git repository URL");
    }
  }

  const hostPart = splitUser(authority);
  if (!hostPart.ok) return hostPart;
  const hostPort = splitPort(hostPart.rest, scheme !== null);
  if (!hostPort.ok) return hostPort;
  const host = hostPort.host.toLowerCase();
  if (!(HOST_NAME.test(host) || IPV6.test(host))) return refuse(`"${host}" is not a host name`);

  const path = rawPath.replace(/\/+$/, "").replace(/\.git$/i, "");
  const segments = path.split("/");
  if (path === "" || segments.some((s) => !SEGMENT.test(s) || s === "." || s === "..")) {
    return refuse(
      "the repository path must be segments of letters, digits, `.`, `_`, `-`, `~` (no empty, `.` or `..`)",
    );
  }
  const port = hostPort.port;
  const defaultPort = protocol === "https:" ? "443" : "80";
  const origin = keepPort && port !== undefined && port !== defaultPort ? `${host}:${port}` : host;
  const keyPath = CASE_INSENSITIVE_PATHS.has(host) ? path.toLowerCase() : path;
  return {
    ok: true,
    repo: { key: `${host}/${keyPath}`, fetchUrl: `${protocol}//${origin}/${path}.git`, host, origin, path },
  };
}

function splitUser(authority: string): { ok: true; rest: string } | { ok: false; reason: string } {
  const at = authority.indexOf("@");
  if (at < 0) return { ok: true, rest: authority };
  if (authority.indexOf("@", at + 1) >= 0) return refuse("more than one `@` in a repo URL");
  if (!USER.test(authority.slice(0, at))) return refuse("the ssh user name has characters a user name does not");
  return { ok: true, rest: authority.slice(at + 1) };
}

function splitPort(
  hostPort: string,
  portAllowed: boolean,
): { ok: true; host: string; port?: string } | { ok: false; reason: string } {
  const m = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(hostPort);
  if (!m) return refuse("the host part is not `host` or `host:port`");
  const port = m[2];
  if (port !== undefined) {
    if (!portAllowed) return refuse("an scp-style URL has no port");
    if (port !== "" && (port.length > 5 || Number(port) > 65535)) return refuse(`port ${port} is out of range`);
  }
  return port ? { ok: true, host: m[1]!, port } : { ok: true, host: m[1]! };
}

function refuse(reason: string): { ok: false; reason: string } {
  return { ok: false, reason };
}
