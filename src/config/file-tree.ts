/**
 * What config evaluation reads: a tree of files. Implemented over a local folder (CLI, Node) and
 * over a git commit (src/git, in workerd). Paths are POSIX and relative to the tree root; the
 * root itself is "".
 */
export interface FileTree {
  /** Entries of a folder, or undefined when the folder does not exist. */
  list(dir: string): Promise<FileTreeEntry[] | undefined>;
  /** A file's text, or undefined when it does not exist. */
  read(path: string): Promise<string | undefined>;
  /**
   * A content id of a folder when the tree knows one (a git tree id): the same id means the same
   * content, so evaluation can reuse what it read before.
   */
  treeId?(dir: string): Promise<string | undefined>;
  /** Where the tree comes from, for messages: a folder path or `repo@commit`. */
  readonly label: string;
}

export interface FileTreeEntry {
  name: string;
  kind: "file" | "dir";
}
