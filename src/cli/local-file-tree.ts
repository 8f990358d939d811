import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { FileTree, FileTreeEntry } from "../config/file-tree";

/** A local folder as a FileTree (the CLI's view of a checkout). Symlinks are followed. */
export function localFileTree(dir: string): FileTree {
  const at = (path: string) => (path ? join(dir, ...path.split("/")) : dir);
  return {
    label: dir,
    async list(path) {
      try {
        const entries = await readdir(at(path), { withFileTypes: true });
        const out: FileTreeEntry[] = [];
        for (const e of entries) {
          if (e.isDirectory()) out.push({ name: e.name, kind: "dir" });
          else if (e.isFile()) out.push({ name: e.name, kind: "file" });
        }
        return out.sort((a, b) => a.name.localeCompare(b.name));
      } catch {
        return undefined;
      }
    },
    async read(path) {
      try {
        return await readFile(at(path), "utf8");
      } catch {
        return undefined;
      }
    },
  };
}
