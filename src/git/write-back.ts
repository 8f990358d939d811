/**
 * Git write-back: Tower commits a few file changes on top of a branch and pushes them, with
 * compare-and-swap on the ref. Each attempt fetches the branch tip (depth 1), asks the caller's
 * `decide` what to change on that tip (the decision is the feature's, and pure), writes the new
 * blobs, trees and commit into the fetch's in-memory store, and pushes them with the tip as the
 * ref's expected old value. A push that loses a race (someone else moved the branch in between)
 * re-reads the new tip and asks `decide` again, a bounded number of times; a `conflict` from
 * `decide` (the file changed in a way a machine cannot resolve) stops with nothing pushed.
 */
import git from "isomorphic-git";
import { type CommitMessage, formatCommitMessage } from "./commit-message";
import type { GitCredentials } from "./credentials";
import { noCredentials } from "./credentials";
import { fetchIntoStore } from "./fetch-commit";
import { gitError } from "./git-error";
import { createGuard } from "./guard";
import { listRemoteRefs } from "./list-remote-refs";
import { memoryFs } from "./memory-fs";
import { receivePack } from "./receive-pack";
import { describeRepo, httpsCloneUrl } from "./repo-url";
import type { GitSnapshot } from "./snapshot";
import { editTree, type FileChanges } from "./tree-edit";

export interface GitIdentity {
  name: string;
  email: string;
}

/** Author and committer of Tower's commits unless the operator names another. */
export const TOWER_IDENTITY: GitIdentity = { name: "Tower", email: "tower@users.noreply.tower.invalid" };

export type WriteBackDecision =
  | { kind: "commit"; changes: FileChanges; message: CommitMessage }
  /** The tip already says what the caller wanted (someone else made the same change). */
  | { kind: "unchanged" }
  /** The tip changed in a way the caller cannot resolve: push nothing, record `reason`. */
  | { kind: "conflict"; reason: string };

export type WriteBackResult =
  | { kind: "pushed"; commit: string; parent: string; attempts: number }
  | { kind: "unchanged"; tip: string; attempts: number }
  | { kind: "conflict"; tip: string; reason: string; attempts: number };

export interface WriteBackOptions {
  /** The branch to push to: `main` or `refs/heads/main`. */
  branch: string;
  /**
   * The branch whose tip the commit is built on, when not `branch` itself (a commit for an
   * `auto` branch rebased on the deploy branch): `branch` is then replaced, still compare-and-swap
   * on its current value (created when missing).
   */
  base?: string;
  credentials?: GitCredentials;
  author?: GitIdentity;
  /** Attempts in all, races included (default 3). */
  maxAttempts?: number;
  /** Commit time in ms (default Date.now). */
  now?: () => number;
  timeoutMs?: number;
  maxBytes?: number;
}

/** The old value of a ref that does not exist yet. */
const ZERO_ID = "0".repeat(40);

export const WRITE_BACK_DEFAULTS = { maxAttempts: 3, timeoutMs: 30_000, pushAnswerBytes: 1024 * 1024 };

export async function writeBack(
  url: string,
  options: WriteBackOptions,
  decide: (tip: GitSnapshot) => WriteBackDecision | Promise<WriteBackDecision>,
): Promise<WriteBackResult> {
  const repo = describeRepo(url);
  const ref = branchRef(repo, options.branch);
  const baseRef = options.base === undefined ? ref : branchRef(repo, options.base);
  const credentials = options.credentials ?? noCredentials;
  const maxAttempts = Math.max(1, options.maxAttempts ?? WRITE_BACK_DEFAULTS.maxAttempts);
  const timeoutMs = options.timeoutMs ?? WRITE_BACK_DEFAULTS.timeoutMs;
  const identity = options.author ?? TOWER_IDENTITY;

  const currentTarget = async () =>
    (await listRemoteRefs(url, { prefixes: [ref], credentials, timeoutMs })).refs[ref] ?? ZERO_ID;

  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    // With a separate base the target's value is read first: a base that moves after that still
    // gives a consistent commit; a target that moves after it fails the push's check.
    const expected = baseRef === ref ? undefined : await currentTarget();
    const fetchOptions = { credentials, timeoutMs, maxBytes: options.maxBytes };
    const { snapshot, store } = await fetchIntoStore(url, { ref: baseRef }, fetchOptions);
    const tip = snapshot.commit;
    const old = expected ?? tip;
    const decision = await decide(snapshot);
    if (decision.kind === "conflict") return { kind: "conflict", tip, reason: decision.reason, attempts: attempt };
    if (decision.kind === "unchanged") return { kind: "unchanged", tip, attempts: attempt };

    const { fs, gitdir, cache } = store;
    const rootTree = (await git.readCommit({ fs, gitdir, oid: tip, cache })).commit.tree;
    const { tree, written } = await editTree(store, rootTree, decision.changes);
    if (tree === rootTree && old === tip) return { kind: "unchanged", tip, attempts: attempt };
    const person = { ...identity, timestamp: Math.floor((options.now ?? Date.now)() / 1000), timezoneOffset: 0 };
    const commit = await git.writeCommit({
      fs,
      gitdir,
      commit: {
        message: formatCommitMessage(decision.message),
        tree,
        parent: [tip],
        author: person,
        committer: person,
      },
    });
    const { packfile } = await git.packObjects({ fs, gitdir, oids: [...new Set([...written, commit])], cache });
    if (!packfile) throw gitError("protocol", repo, "could not pack the new commit");

    const guard = createGuard({
      repo,
      operation: `pushing ${ref}`,
      timeoutMs,
      maxBytes: WRITE_BACK_DEFAULTS.pushAnswerBytes,
      authorization: credentials.authorization(url),
    });
    const result = await guard.run(() =>
      receivePack(guard, httpsCloneUrl(url), repo, { ref, old, new: commit, pack: packfile }),
    );
    if (result.ok) return { kind: "pushed", commit, parent: tip, attempts: attempt };

    // Refused: a race if the branch moved since the fetch (the server's wording varies), else
    // a refusal no retry will change (hook, protected branch).
    if ((await currentTarget()) === old) {
      throw gitError("push_rejected", repo, `the server refused the push to ${ref}: ${result.reason}`, { ref });
    }
  }
  throw gitError("push_race", repo, `${ref} moved under every one of ${maxAttempts} push attempts`, {
    ref,
    attempts: maxAttempts,
  });
}

/**
 * Moves a branch to a commit the server already has (fast-forwarding a deploy branch to a
 * commit CI passed), compare-and-swap on `old`. Returns false when the branch was not at `old`.
 */
export async function updateBranch(
  url: string,
  update: { branch: string; old: string; new: string },
  options: { credentials?: GitCredentials; timeoutMs?: number } = {},
): Promise<boolean> {
  const repo = describeRepo(url);
  const ref = branchRef(repo, update.branch);
  const credentials = options.credentials ?? noCredentials;
  const timeoutMs = options.timeoutMs ?? WRITE_BACK_DEFAULTS.timeoutMs;
  const guard = createGuard({
    repo,
    operation: `updating ${ref}`,
    timeoutMs,
    maxBytes: WRITE_BACK_DEFAULTS.pushAnswerBytes,
    authorization: credentials.authorization(url),
  });
  // An empty pack, as git sends when every object is on the server already.
  const pack = (await git.packObjects({ fs: memoryFs(), gitdir: "/empty.git", oids: [] })).packfile;
  if (!pack) throw gitError("protocol", repo, "could not make an empty pack");
  const result = await guard.run(() =>
    receivePack(guard, httpsCloneUrl(url), repo, { ref, old: update.old, new: update.new, pack }),
  );
  if (result.ok) return true;
  const now = (await listRemoteRefs(url, { prefixes: [ref], credentials, timeoutMs })).refs[ref] ?? ZERO_ID;
  if (now !== update.old) return false;
  throw gitError("push_rejected", repo, `the server refused to move ${ref}: ${result.reason}`, { ref });
}

function branchRef(repo: string, branch: string): string {
  const ref = branch.startsWith("refs/heads/") ? branch : `refs/heads/${branch}`;
  if (!/^refs\/heads\/[A-Za-z0-9._/-]+$/.test(ref) || ref.includes("..") || ref.endsWith("/")) {
    throw gitError("ref_missing", repo, `"${branch}" is not a branch name Tower writes to`);
  }
  return ref;
}
