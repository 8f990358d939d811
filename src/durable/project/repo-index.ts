/**
 * Which apps follow which repo and ref: routes app-repo pushes and tells the cron which repos to
 * ask for refs. Repos are normalised keys (`host/owner/name`), refs full names (`refs/heads/x`).
 */
import type { AppSource, GitRefSpec } from "../../config/resolved-app";
import type { AppEntry } from "./events";

/** The full ref name a source follows, or null when it is pinned to a commit. */
export function trackedRef(spec: GitRefSpec): string | null {
  if ("branch" in spec) return `refs/heads/${spec.branch}`;
  if ("tag" in spec) return `refs/tags/${spec.tag}`;
  return null;
}

/** `CONFIG_REF` as a full ref name: a bare name is a branch; `refs/tags/v1` follows a tag. */
export function configRefName(ref: string): string {
  return ref.startsWith("refs/") ? ref : `refs/heads/${ref}`;
}

export type GitSource = Extract<AppSource, { type: "git" }>;

export function gitSource(app: { source: AppSource }): GitSource | null {
  return app.source.type === "git" ? app.source : null;
}

export interface WatchedRepo {
  /** A URL to fetch it from (the first app's spelling). */
  url: string;
  /** Full ref names some app follows. */
  refs: string[];
}

/** Read-only: one index is shared by every caller of `repoIndexOf` for the same apps. */
export interface RepoIndex {
  /** `repo#ref` → apps following it. */
  readonly routes: ReadonlyMap<string, readonly string[]>;
  /** Repo key → what to ask it for. */
  readonly repos: ReadonlyMap<string, Readonly<WatchedRepo>>;
}

export function repoIndex(apps: Iterable<AppEntry>): RepoIndex {
  const routes = new Map<string, string[]>();
  const repos = new Map<string, WatchedRepo>();
  for (const app of apps) {
    const source = gitSource(app);
    const ref = source && trackedRef(source.ref);
    if (!source || !ref) continue;
    const key = `${source.repo}#${ref}`;
    routes.set(key, [...(routes.get(key) ?? []), app.name]);
    const repo = repos.get(source.repo) ?? { url: source.url, refs: [] };
    if (!repo.refs.includes(ref)) repo.refs.push(ref);
    repos.set(source.repo, repo);
  }
  for (const names of routes.values()) names.sort();
  return { routes, repos };
}

export function appsFollowing(index: RepoIndex, repo: string, ref: string): readonly string[] {
  return index.routes.get(`${repo}#${ref}`) ?? [];
}

const indexes = new WeakMap<Record<string, AppEntry>, RepoIndex>();

/**
 * `repoIndex` of a state's apps, built once per apps object: routing a burst of pushes asks it
 * once per push, and the apps only change with an evaluation or a desired state.
 */
export function repoIndexOf(apps: Record<string, AppEntry>): RepoIndex {
  let index = indexes.get(apps);
  if (index === undefined) {
    index = repoIndex(Object.values(apps));
    indexes.set(apps, index);
  }
  return index;
}
