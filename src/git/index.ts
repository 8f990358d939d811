export { type CommitMessage, formatCommitMessage, parseTrailers } from "./commit-message";
export { GitCredentials, noCredentials, parseGitCredentials } from "./credentials";
export { FETCH_DEFAULTS, type FetchOptions, type FetchWant, fetchCommit } from "./fetch-commit";
export { type GitErrorCode, redact } from "./git-error";
export { LIST_REFS_DEFAULTS, type ListRefsOptions, listRemoteRefs } from "./list-remote-refs";
export { type RemoteRefs, resolveRemoteRef } from "./remote-refs";
export { describeRepo, httpsCloneUrl, normaliseRepoUrl } from "./repo-url";
export type { GitSnapshot } from "./snapshot";
export type { FileChanges } from "./tree-edit";
export {
  type GitIdentity,
  TOWER_IDENTITY,
  updateBranch,
  WRITE_BACK_DEFAULTS,
  type WriteBackDecision,
  type WriteBackOptions,
  type WriteBackResult,
  writeBack,
} from "./write-back";
