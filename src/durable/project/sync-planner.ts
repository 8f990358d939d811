/**
 * Pure planning for a sync: which repos to ask for refs (each once, whatever number of apps
 * follow it), whether the config ref moved, and which commit each app builds from.
 */
import type { AppSource } from "../../config/resolved-app";
import type { PushReceived } from "../contract";
import type { ConfigTarget, RefListings } from "./decide";
import type { AppEntry } from "./events";
import { gitSource, repoIndex, repoIndexOf, trackedRef, type WatchedRepo } from "./repo-index";
import type { KnownApp, ProjectState } from "./state";

/** Every repo a cron tick lists: the config repo and each distinct app source repo, once. */
export function tickPlan(state: ProjectState, config: ConfigTarget & { url: string }): Map<string, WatchedRepo> {
  const repos = new Map(repoIndexOf(state.apps).repos);
  const own = repos.get(config.repo);
  repos.set(config.repo, { url: own?.url ?? config.url, refs: [...new Set([config.ref, ...(own?.refs ?? [])])] });
  return repos;
}

/**
 * The refs to list before routing the inbox: each pushed repo Tower watches, once, with every
 * pushed ref of it. Pushes are only a doorbell, so what a ref points to comes from this listing;
 * pushes of the same repo and ref coalesce into one request.
 */
export function pushPlan(
  state: ProjectState,
  inbox: PushReceived[],
  config: ConfigTarget & { url: string },
): Map<string, WatchedRepo> {
  const index = repoIndexOf(state.apps).repos;
  const plan = new Map<string, WatchedRepo>();
  for (const push of inbox) {
    if (push.deleted) continue;
    const url = index.get(push.repo)?.url ?? (push.repo === config.repo ? config.url : undefined);
    if (url === undefined) continue;
    const refs = plan.get(push.repo)?.refs ?? [];
    plan.set(push.repo, { url, refs: [...new Set([...refs, push.ref])] });
  }
  return plan;
}

/** The commit the config ref points at now, when that is not the commit Tower last read. */
export function configMoved(state: ProjectState, refs: RefListings, config: ConfigTarget): string | null {
  const now = refs[config.repo]?.[config.ref];
  return now && now !== state.config.commit ? now : null;
}

/**
 * A config commit was fetched but neither evaluated nor failed: a pass cut short between the two
 * (an eviction, a throw) must finish it, or nothing reads that commit until the ref moves again.
 * Also true before the first fetch.
 */
export function evaluationPending(state: ProjectState): boolean {
  return state.config.commit === null || state.config.lastEvaluation?.commit !== state.config.commit;
}

/** Apps with `sync.self_heal`, by name: a tick asks each for a drift check. */
export function selfHealing(state: ProjectState): string[] {
  return Object.values(state.apps)
    .filter((app) => app.selfHeal === true)
    .map((app) => app.name)
    .sort();
}

export interface EvaluatedSource {
  name: string;
  source: AppSource;
}

/**
 * Repos whose refs an evaluation must learn: those of apps that are new, whose source changed, or
 * whose commit is still unknown. Repos already listed (`known`) are not asked again.
 */
export function reposToResolve(
  apps: EvaluatedSource[],
  state: ProjectState,
  known: RefListings,
): ReadonlyMap<string, Readonly<WatchedRepo>> {
  const needed = apps.filter((app) => {
    const source = gitSource(app);
    if (!source || !trackedRef(source.ref) || known[source.repo]) return false;
    const before = state.apps[app.name];
    return !before || !sameSource(before.source, app.source) || before.sourceCommit === null;
  });
  return repoIndex(needed.map((app) => ({ ...app, org: "", configHash: "", file: "", sourceCommit: null }))).repos;
}

/** Where an app's build reads from, given what is known of refs and of the config commit. */
export function sourceVersion(
  app: EvaluatedSource,
  before: KnownApp | undefined,
  refs: RefListings,
  config: { commit: string; sourceTree?: string },
): Pick<AppEntry, "sourceCommit" | "sourceTree"> {
  const same = before !== undefined && sameSource(before.source, app.source);
  switch (app.source.type) {
    case "image":
    case "inline-dockerfile":
      return { sourceCommit: null };
    case "local":
      // A local source builds from the config repo: only a change of its folder is a new version.
      if (same && before.sourceTree !== undefined && before.sourceTree === config.sourceTree)
        return { sourceCommit: before.sourceCommit, sourceTree: before.sourceTree };
      return { sourceCommit: config.commit, sourceTree: config.sourceTree };
    case "git": {
      const ref = trackedRef(app.source.ref);
      if (!ref) return { sourceCommit: (app.source.ref as { commit: string }).commit };
      return { sourceCommit: refs[app.source.repo]?.[ref] ?? (same ? before.sourceCommit : null) };
    }
  }
}

export function sameSource(a: AppSource, b: AppSource): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The next `count` of `keys` (sorted) after `after`, wrapping around: a round robin over work
 * that does not fit one invocation, so no key waits forever behind the ones sorted first.
 */
export function inTurn(keys: string[], after: string | null, count: number): string[] {
  const sorted = [...keys].sort();
  const start = after === null ? 0 : sorted.findIndex((key) => key > after);
  const from = start < 0 ? 0 : start;
  return [...sorted.slice(from), ...sorted.slice(0, from)].slice(0, Math.max(0, count));
}
