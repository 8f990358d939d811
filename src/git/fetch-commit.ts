/**
 * A shallow fetch (depth 1, one ref, no tags) of a branch, tag or pinned commit into an
 * in-memory file system, read through a GitSnapshot. Limits apply to the network part: the
 * byte budget counts what the server sends, so a repo too big for the isolate fails with
 * too_large long before memory runs out.
 */
import git from "isomorphic-git";
import type { GitCredentials } from "./credentials";
import { noCredentials } from "./credentials";
import { gitError } from "./git-error";
import { createGuard } from "./guard";
import { memoryFs } from "./memory-fs";
import { describeRepo, httpsCloneUrl } from "./repo-url";
import { createSnapshot, type GitSnapshot } from "./snapshot";

export type FetchWant = { ref: string } | { commit: string };

export interface FetchOptions {
  credentials?: GitCredentials;
  timeoutMs?: number;
  /** Bytes the server may send (the packfile and the ref advertisement). */
  maxBytes?: number;
}

export const FETCH_DEFAULTS = { timeoutMs: 30_000, maxBytes: 32 * 1024 * 1024 };

export async function fetchCommit(url: string, want: FetchWant, options: FetchOptions = {}): Promise<GitSnapshot> {
  const repo = describeRepo(url);
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
  const fs = memoryFs();
  const gitdir = "/repo.git";
  const cache = {};
  return guard.run(async () => {
    await git.init({ fs, gitdir, bare: true, defaultBranch: "main" });
    // isomorphic-git records what it fetched under the remote's refspec.
    await git.addRemote({ fs, gitdir, remote: "origin", url: httpsCloneUrl(url) });
    const fetched = await git.fetch({
      fs,
      http: guard.http,
      gitdir,
      cache,
      remote: "origin",
      ref,
      singleBranch: true,
      depth: 1,
      tags: false,
    });
    if (!fetched.fetchHead) throw gitError("ref_missing", repo, `the repository is empty (no ${ref})`);
    // readCommit peels an annotated tag to its commit.
    const { oid: commit } = await git.readCommit({ fs, gitdir, oid: fetched.fetchHead, cache });
    return createSnapshot({ fs, gitdir, commit, label: `${repo}@${commit.slice(0, 12)}`, cache });
  });
}
