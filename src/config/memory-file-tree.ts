import { sha256Hex } from "../base/canonical";
import type { FileTree, FileTreeEntry } from "./file-tree";

/**
 * A FileTree over a map of path → text: for tests, benchmarks and configs built in memory. Tree
 * ids are content hashes of each folder, as a git tree id would be.
 */
export function memoryFileTree(files: Record<string, string>, label = "memory"): FileTree {
  const dirs = new Map<string, Map<string, FileTreeEntry>>([["", new Map()]]);
  for (const path of Object.keys(files)) {
    const parts = path.split("/");
    for (let i = 0; i < parts.length; i++) {
      const dir = parts.slice(0, i).join("/");
      const entries = dirs.get(dir) ?? new Map<string, FileTreeEntry>();
      dirs.set(dir, entries);
      const kind = i === parts.length - 1 ? "file" : "dir";
      entries.set(parts[i]!, { name: parts[i]!, kind });
    }
  }
  const ids = new Map<string, string>();
  const treeId = (dir: string): string | undefined => {
    if (!dirs.has(dir)) return undefined;
    const known = ids.get(dir);
    if (known) return known;
    const prefix = dir ? `${dir}/` : "";
    const parts = [...dirs.get(dir)!.values()]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map(
        (e) =>
          `${e.kind} ${e.name} ${e.kind === "file" ? sha256Hex(files[prefix + e.name]!) : treeId(prefix + e.name)}`,
      );
    const id = sha256Hex(parts.join("\n"));
    ids.set(dir, id);
    return id;
  };
  return {
    label,
    async list(dir) {
      const entries = dirs.get(dir);
      return entries ? [...entries.values()] : undefined;
    },
    async read(path) {
      return files[path];
    },
    async treeId(dir) {
      return treeId(dir);
    },
  };
}
