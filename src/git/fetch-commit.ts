/**
 * A shallow fetch (depth 1, one commit, no tags) of a branch, tag or pinned commit into an
 * in-memory file system, read through a GitSnapshot without a checkout. Over protocol v2 a ref
 * costs two requests (ls-refs, fetch) and a pinned commit one; servers without v2 get
 * isomorphic-git's v1 fetch. Limits apply to the network part: the byte budget counts what the
 * server sends, so a repo too big for the isolate fails with too_large before memory runs out. A
 * packfile, v2 or v1, is also measured before it is indexed (pack-limits.ts): its object count and
 * the size it inflates to, so a compression bomb fails with too_large instead of filling memory.
 */
import git from "isomorphic-git";
import type { GitCredentials } from "./credentials";
import { noCredentials } from "./credentials";
import { fetchPack } from "./fetch-pack";
import { fetchV1 } from "./fetch-v1";
import { gitError } from "./git-error";
import { createGuard } from "./guard";
import { lsRefs } from "./list-remote-refs";
import { memoryFs } from "./memory-fs";
import { checkPack } from "./pack-limits";
import { candidates, resolveRemoteRef } from "./remote-refs";
import { describeRepo, httpsCloneUrl } from "./repo-url";
import { createSnapshot, type GitSnapshot } from "./snapshot";

export type FetchWant = { ref: string } | { commit: string };

export interface FetchOptions {
  credentials?: GitCredentials;
  timeoutMs?: number;
  /** Bytes the server may send (ref list and packfile together). */
  maxBytes?: number;
  /** Objects the packfile may hold. */
  maxObjects?: number;
  /** Bytes the packfile's objects may inflate to (a delta counts the size it rebuilds). */
  maxInflatedBytes?: number;
  /**
   * Fetch trees only (`filter blob:none`) where the server allows it: enough for tree ids and
   * listings, not for reading files. Servers that refuse the filter send everything.
   */
  treesOnly?: boolean;
}

/**
 * Sized for a Worker isolate (128 MB): a config repo or one app folder at one commit is far below
 * them; a repo that is not fails its own evaluation, naming the limit, and nothing else.
 */
export const FETCH_DEFAULTS = {
  timeoutMs: 30_000,
  maxBytes: 32 * 1024 * 1024,
  maxObjects: 50_000,
  maxInflatedBytes: 64 * 1024 * 1024,
};

export async function fetchCommit(url: string, want: FetchWant, options: FetchOptions = {}): Promise<GitSnapshot> {
  return (await fetchIntoStore(url, want, options)).snapshot;
}

/** The in-memory repo a fetch filled: write-back adds its new objects to it. */
export interface ObjectStore {
  fs: ReturnType<typeof memoryFs>;
  gitdir: string;
  cache: object;
}

/** fetchCommit, also handing out the object store behind the snapshot. */
export async function fetchIntoStore(
  url: string,
  want: FetchWant,
  options: FetchOptions = {},
): Promise<{ snapshot: GitSnapshot; store: ObjectStore }> {
  const repo = describeRepo(url);
  const cloneUrl = httpsCloneUrl(url);
  const ref = "commit" in want ? want.commit : want.ref;
  if ("commit" in want && !/^[0-9a-f]{40}$/.test(want.commit)) {
    throw gitError("ref_missing", repo, `a pinned commit needs its full 40-character id, not "${want.commit}"`);
  }
  const guard = createGuard({
    repo,
    operation: `fetching ${ref}`,
    timeoutMs: options.timeoutMs ?? FETCH_DEFAULTS.timeoutMs,
    maxBytes: options.maxBytes ?? FETCH_DEFAULTS.maxBytes,
    authorization: (options.credentials ?? noCredentials).authorization(url),
  });
  const target = { fs: memoryFs(), gitdir: "/repo.git", cache: {} };
  const { fs, gitdir, cache } = target;

  return guard.run(async () => {
    await git.init({ fs, gitdir, bare: true, defaultBranch: "main" });
    let oid: string | undefined = "commit" in want ? want.commit : undefined;
    let v2 = true;
    if (!oid) {
      const remote = await lsRefs(guard, cloneUrl, repo, candidates(ref));
      oid = resolveRemoteRef(remote, ref);
      if (!oid) throw gitError("ref_missing", repo, `no branch or tag named ${ref}`);
      v2 = remote.protocol === 2;
    }
    const limits = {
      maxObjects: options.maxObjects ?? FETCH_DEFAULTS.maxObjects,
      maxInflatedBytes: options.maxInflatedBytes ?? FETCH_DEFAULTS.maxInflatedBytes,
    };
    let hasBlobs = true;
    let fetched: string | undefined;
    if (v2) {
      let result = await fetchPack(guard, cloneUrl, repo, oid, { treesOnly: options.treesOnly === true });
      hasBlobs = !options.treesOnly;
      if (result.kind === "unsupported" && options.treesOnly) {
        result = await fetchPack(guard, cloneUrl, repo, oid, { treesOnly: false });
        hasBlobs = true;
      }
      if (result.kind === "pack") {
        checkPack(result.pack, repo, `fetching ${ref}`, limits);
        await storePack(target, result.pack);
        fetched = oid;
      }
    }
    fetched ??= await fetchV1(guard, target, cloneUrl, repo, "commit" in want ? want.commit : ref, limits);
    // readCommit peels an annotated tag to its commit.
    const { oid: commit } = await git.readCommit({ fs, gitdir, oid: fetched, cache });
    const snapshot = createSnapshot({
      fs,
      gitdir,
      commit,
      label: `${repo}@${commit.slice(0, 12)}`,
      cache,
      hasBlobs,
      bytesFetched: guard.bytes(),
    });
    return { snapshot, store: target };
  });
}

async function storePack(target: ObjectStore, pack: Uint8Array) {
  const { fs, gitdir, cache } = target;
  const name = `objects/pack/pack-${Array.from(pack.subarray(-20), (b) => b.toString(16).padStart(2, "0")).join("")}.pack`;
  await fs.promises.writeFile(`${gitdir}/${name}`, pack);
  await git.indexPack({ fs, dir: gitdir, gitdir, filepath: name, cache });
}
