/** Joins POSIX paths inside a tree; undefined when the result climbs above the tree's root. */
export function joinPath(dir: string, rel: string): string | undefined {
  const parts: string[] = [];
  const all = rel.startsWith("/") ? rel.split("/") : [...dir.split("/"), ...rel.split("/")];
  for (const part of all) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(part);
  }
  return parts.join("/");
}

export function dirname(path: string): string {
  const i = path.lastIndexOf("/");
  return i < 0 ? "" : path.slice(0, i);
}
