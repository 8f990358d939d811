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
  /** The branch to commit on: `main` or `refs/heads/main`. */
  branch: string;
  credentials?: GitCredentials;
  author?: GitIdentity;
  /** Attempts in all, races included (default 3). */
  maxAttempts?: number;
  /** Commit time in ms (default Date.now). */
  now?: () => number;
  timeoutMs?: number;
  maxBytes?: number;
}

export const WRITE_BACK_DEFAULTS = { maxAttempts: 3, timeoutMs: 30_000, pushAnswerBytes: 1024 * 1024 };

export async function writeBack(
  url: string,
  options: WriteBackOptions,
  decide: (tip: GitSnapshot) => WriteBackDecision | Promise<WriteBackDecision>,
): Promise<WriteBackResult> {
  const repo = describeRepo(url);
  const ref = options.branch.startsWith("refs/heads/") ? options.branch : `refs/heads/${options.branch}`;
  if (!/^refs\/heads\/[A-Za-z0-9._/-]+$/.test(ref) || ref.includes("..")) {
    throw gitError("ref_missing", repo, `"${options.branch}" is not a branch name Tower writes to`);
  }
  const credentials = options.credentials ?? noCredentials;
  const maxAttempts = Math.max(1, options.maxAttempts ?? WRITE_BACK_DEFAULTS.maxAttempts);
  const timeoutMs = options.timeoutMs ?? WRITE_BACK_DEFAULTS.timeoutMs;
  const identity = options.author ?? TOWER_IDENTITY;

  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const { snapshot, store } = await fetchIntoStore(
      url,
      { ref },
      { credentials, timeoutMs, maxBytes: options.maxBytes },
    );
    const tip = snapshot.commit;
    const decision = await decide(snapshot);
    if (decision.kind === "conflict") return { kind: "conflict", tip, reason: decision.reason, attempts: attempt };
    if (decision.kind === "unchanged") return { kind: "unchanged", tip, attempts: attempt };

    const { fs, gitdir, cache } = store;
    const rootTree = (await git.readCommit({ fs, gitdir, oid: tip, cache })).commit.tree;
    const { tree, written } = await editTree(store, rootTree, decision.changes);
    if (tree === rootTree) return { kind: "unchanged", tip, attempts: attempt };
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
      receivePack(guard, httpsCloneUrl(url), repo, { ref, old: tip, new: commit, pack: packfile }),
    );
    if (result.ok) return { kind: "pushed", commit, parent: tip, attempts: attempt };

    // Refused: a race if the branch moved since the fetch (the server's wording varies), else
    // a refusal no retry will change (hook, protected branch).
    const now = await listRemoteRefs(url, { prefixes: [ref], credentials, timeoutMs });
    if (now.refs[ref] === tip) {
      throw gitError("push_rejected", repo, `the server refused the push to ${ref}: ${result.reason}`, { ref });
    }
  }
  throw gitError("push_race", repo, `${ref} moved under every one of ${maxAttempts} push attempts`, {
    ref,
    attempts: maxAttempts,
  });
}
