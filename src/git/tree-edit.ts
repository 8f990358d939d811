/**
 * New trees for a commit that changes a few files of a fetched one: only the folders on the way
 * to a changed file are rewritten, every other entry keeps its id (the server already has those
 * objects, so the push sends just the new blobs, trees and the commit).
 */
import git, { type TreeEntry } from "isomorphic-git";
import type { ObjectStore } from "./fetch-commit";

/** path → new text, or null to delete the file. Paths are relative to the repo root. */
export type FileChanges = Record<string, string | null>;

/** Writes the changed trees into the store; returns the new root tree and every object written. */
export async function editTree(
  store: ObjectStore,
  rootTree: string,
  changes: FileChanges,
): Promise<{ tree: string; written: string[] }> {
  const written: string[] = [];
  const { fs, gitdir, cache } = store;

  async function rewrite(treeOid: string | undefined, prefix: string, paths: [string[], string | null][]) {
    const entries: TreeEntry[] = treeOid ? (await git.readTree({ fs, gitdir, oid: treeOid, cache })).tree : [];
    const byName = new Map(entries.map((e) => [e.path, e]));
    const groups = new Map<string, [string[], string | null][]>();
    for (const [parts, content] of paths) {
      const [head, ...rest] = parts;
      if (!head) continue;
      if (rest.length === 0) {
        if (content === null) byName.delete(head);
        else {
          const oid = await git.writeBlob({ fs, gitdir, blob: new TextEncoder().encode(content) });
          written.push(oid);
          const mode = byName.get(head)?.mode === "100755" ? "100755" : "100644";
          byName.set(head, { mode, path: head, oid, type: "blob" });
        }
      } else groups.set(head, [...(groups.get(head) ?? []), [rest, content]]);
    }
    for (const [name, sub] of groups) {
      const existing = byName.get(name);
      if (existing && existing.type !== "tree") throw new Error(`${prefix}${name} is a file, not a folder`);
      const oid = await rewrite(existing?.oid, `${prefix}${name}/`, sub);
      if (oid === undefined) byName.delete(name);
      else byName.set(name, { mode: "040000", path: name, oid, type: "tree" });
    }
    if (byName.size === 0 && prefix !== "") return undefined; // git keeps no empty folders
    const oid = await git.writeTree({ fs, gitdir, tree: [...byName.values()] });
    written.push(oid);
    return oid;
  }

  const paths = Object.entries(changes).map(([path, content]): [string[], string | null] => {
    const parts = path.split("/").filter((p) => p !== "" && p !== ".");
    if (parts.length === 0 || parts.includes("..") || parts.includes(".git")) throw new Error(`bad path "${path}"`);
    return [parts, content];
  });
  const tree = (await rewrite(rootTree, "", paths)) ?? rootTree;
  return { tree, written };
}
