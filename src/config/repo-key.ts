/**
 * The key a git repository is known by, however it is written: `host/owner/name`, host lowercased,
 * no scheme, credentials, port-less ssh forms or `.git` suffix. `git@github.com:o/r`,
 * `ssh://git@github.com/o/r.git` and `https://github.com/o/r` all give `github.com/o/r`.
 * Pure: src/git delegates to this so webhooks and config agree on names.
 */
export function repoKey(url: string): string {
  let rest = url.trim();
  let host = "";
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(rest);
  if (scheme) {
    rest = rest.slice(scheme[0].length);
    const slash = rest.indexOf("/");
    host = slash < 0 ? rest : rest.slice(0, slash);
    rest = slash < 0 ? "" : rest.slice(slash + 1);
    host = host.slice(host.lastIndexOf("@") + 1);
    // ssh://host:22/o/r and https://host:443/o/r: the port does not name a different repo.
    host = host.replace(/:\d*$/, "");
  } else {
    // scp-like `user@host:owner/name`
    const scp = /^(?:[^@/]+@)?([^:/]+):(.*)$/.exec(rest);
    if (scp) {
      host = scp[1]!;
      rest = scp[2]!;
    }
  }
  const path = rest
    .replace(/[?#].*$/, "")
    .replace(/\/+$/, "")
    .replace(/\.git$/i, "")
    .replace(/^\/+/, "");
  return host ? `${host.toLowerCase()}/${path}` : path;
}
