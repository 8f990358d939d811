import type { FileTree } from "./file-tree";
import type { Diagnostic, Feedback, GitRefSpec, ResolvedApp } from "./resolved-app";
import type { AppSecretPolicy } from "./secret-policy";
import type { WavesConfig } from "./waves";

export interface EvaluateOptions {
  /** Folder of the root project in the tree; default "" (the tree's root). */
  root?: string;
  /** The Worker's env (or the CLI's process.env): where `type: env` secrets come from. */
  secrets: (key: string) => string | undefined;
  /** Which variables apps may read as secrets (see secret-policy.ts); default: `APP_SECRET_*`. */
  secretPolicy?: AppSecretPolicy;
  /** HMAC key of secrets digests (kept in the ProjectDO's storage); default: a random one per process. */
  secretsKey?: string;
  /** The org of apps that name none (and whose flags name none). */
  defaultOrg: string;
  /** Fetches a git-sourced nested project. Without it such projects are listed, not evaluated. */
  openRepo?: (source: { url: string; repo: string; ref: GitRefSpec; path: string }) => Promise<FileTree>;
  /** Reuse results for app folders whose `tree.treeId()` did not change. */
  previous?: EvaluationCache;
  /** An app whose env secret is unset: "error" (default; the app is left out) or "warning" (CLI). */
  missingSecrets?: "error" | "warning";
}

/** Every git repository the config names, once per repo and ref: what to watch for pushes. */
export interface RepoRef {
  url: string;
  /** repoKey(url): host/owner/name. */
  repo: string;
  ref: GitRefSpec;
  /** Names of the apps and projects that use it. */
  usedBy: string[];
}

export interface ProjectInfo {
  name: string;
  /** Folder of its project.yaml (display form; "" for the root). */
  path: string;
  file?: string;
  /** Tower may delete Fly apps of this project that left the config (project.yaml `prune`). */
  prune: boolean;
  /** A git-sourced project, with where it comes from. */
  source?: { url: string; repo: string; ref: GitRefSpec; path: string };
  /** False when it was not fetched or had errors: its missing apps must not be pruned. */
  complete: boolean;
  fetched: boolean;
}

export interface Evaluation {
  /** Apps without errors, sorted by name. */
  apps: ResolvedApp[];
  errors: Diagnostic[];
  warnings: Diagnostic[];
  repos: RepoRef[];
  projects: ProjectInfo[];
  cache?: EvaluationCache;
  /**
   * The root project's `notify:` and `git_hosts`: who hears about the config itself. Undefined
   * when the root project.yaml could not be read (the last good settings still apply).
   */
  feedback?: Feedback;
  /** The root project.yaml's promotion waves and CI gate, when it has them and they are valid. */
  waves?: WavesConfig;
}

/** Parsed app files by folder tree id and the common they were merged with. Plain data. */
export interface EvaluationCache {
  entries: Record<string, CachedAppFile>;
}

export interface CachedAppFile {
  file: string;
  config?: Record<string, unknown>;
  diagnostics: Diagnostic[];
  /** Where fields are in the file, for messages after a cache hit. */
  positions?: Record<string, { line: number; col: number }>;
}
