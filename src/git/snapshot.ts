/**
 * A fetched commit, read without a checkout: files and trees come straight out of the packfile
 * in memory. Tree ids matter: two commits whose app folder has the same tree id hold the same
 * files there, so the app needs no re-evaluation.
 */
import git, { type TreeEntry } from "isomorphic-git";
import type { FileTree, FileTreeEntry } from "../config/file-tree";
import type { memoryFs } from "./memory-fs";

export interface GitSnapshot {
  /** The commit id (tags peeled). */
  readonly commit: string;
  /** `repo@commit`, for messages. */
  readonly label: string;
  /** False when fetched trees-only (`treesOnly`): reading a file throws. */
  readonly hasBlobs: boolean;
  /** Bytes the server sent for this fetch (ref list and packfile). */
  readonly bytesFetched: number;
  /** The tree id of a folder ("" is the root), or undefined when it is missing or a file. */
  treeId(path: string): Promise<string | undefined>;
  /** A file's text, or undefined when it is missing or a folder. */
  readFile(path: string): Promise<string | undefined>;
  /** The commit (or one folder of it) as the FileTree `src/config` evaluates. */
  fileTree(root?: string): FileTree;
}

interface SnapshotSource {
  fs: ReturnType<typeof memoryFs>;
  gitdir: string;
  commit: string;
  label: string;
  /** isomorphic-git's cache of parsed pack indexes, shared with the fetch that built them. */
  cache: object;
  /** False when fetched trees-only: listings and tree ids work, file contents are absent. */
  hasBlobs: boolean;
  bytesFetched: number;
}

export function createSnapshot(source: SnapshotSource): GitSnapshot {
  const { fs, gitdir, commit, label, cache, hasBlobs, bytesFetched } = source;
  // Trees are memoised: config evaluation lists the same folders its file reads walk through.
  const trees = new Map<string, Promise<{ oid: string; entries: TreeEntry[] } | undefined>>();

  const tree = (path: string) => {
    const key = clean(path);
    let found = trees.get(key);
    if (!found) {
      found = git
        .readTree({ fs, gitdir, oid: commit, filepath: key || undefined, cache })
        .then((t) => ({ oid: t.oid, entries: t.tree }))
        .catch(missing);
      trees.set(key, found);
    }
    return found;
  };

  const readFile = async (path: string) => {
    const key = clean(path);
    const slash = key.lastIndexOf("/");
    const parent = await tree(slash < 0 ? "" : key.slice(0, slash));
    const entry = parent?.entries.find((e) => e.path === key.slice(slash + 1));
    if (!entry || entry.type !== "blob") return undefined;
    if (!hasBlobs) throw new Error(`${label} was fetched trees-only: cannot read ${key}`);
    const { blob } = await git.readBlob({ fs, gitdir, oid: entry.oid, cache });
    return new TextDecoder().decode(blob);
  };

  const snapshot: GitSnapshot = {
    commit,
    label,
    hasBlobs,
    bytesFetched,
    treeId: async (path) => (await tree(path))?.oid,
    readFile,
    fileTree(root = "") {
      const base = clean(root);
      const at = (path: string) => [base, clean(path)].filter(Boolean).join("/");
      return {
        label: base ? `${label}:${base}` : label,
        async list(dir): Promise<FileTreeEntry[] | undefined> {
          const t = await tree(at(dir));
          return t?.entries
            .filter((e) => e.type === "blob" || e.type === "tree")
            .map((e) => ({ name: e.path, kind: e.type === "tree" ? "dir" : "file" }));
        },
        read: (path) => readFile(at(path)),
        treeId: (dir) => snapshot.treeId(at(dir)),
      };
    },
  };
  return snapshot;
}

function clean(path: string): string {
  return path
    .split("/")
    .filter((part) => part !== "" && part !== ".")
    .join("/");
}

function missing(err: unknown): undefined {
  // A missing path or a path that names a file is "no such folder"; anything else is a bug.
  const code = (err as { code?: string })?.code;
  if (code === "NotFoundError" || code === "ObjectTypeError") return undefined;
  throw err;
}
