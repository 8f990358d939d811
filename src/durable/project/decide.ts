/**
 * The ProjectDO's decisions, pure: a command and the current state in, events out. Time, ids and
 * everything read from git or config evaluation arrive inside the command.
 */
import type { Diagnostic } from "../../config/resolved-app";
import type { PullRequestReceived, PushReceived } from "../contract";
import { type ImageEvent, imageEventKey } from "../images/events";
import { type AppEntry, type DecidedEvent, event } from "./events";
import { previewTick, routePull } from "./previews";
import { appsFollowing, gitSource, repoIndexOf, trackedRef } from "./repo-index";
import type { ProjectState } from "./state";

/** The config repo as a push names it: normalised repo key and full ref name. */
export interface ConfigTarget {
  repo: string;
  ref: string;
}

/** Ref listings: repo key → full ref name → commit. A repo that could not be listed is absent. */
export type RefListings = Record<string, Record<string, string>>;

export type ProjectCommand =
  | { type: "record-push"; push: PushReceived; at: string }
  /**
   * `refs` is what Tower listed for the pushed repo just now: a push only says "look now", and
   * what the ref points to in Tower's own listing is what deploys, never the payload's `after`.
   */
  | { type: "route-push"; push: PushReceived; config: ConfigTarget; refs: RefListings; at: string }
  | { type: "request-sync"; id: string; force: boolean; cause: string; at: string }
  | { type: "record-fetch"; commit: string; ref: string; cause: string; at: string }
  | {
      type: "record-failure";
      commit: string | null;
      stage: "fetch" | "evaluate";
      errors: Omit<Diagnostic, "severity">[];
      cause: string;
      at: string;
    }
  | {
      type: "record-evaluation";
      commit: string;
      cause: string;
      force: boolean;
      prune: boolean;
      apps: AppEntry[];
      errors: Omit<Diagnostic, "severity">[];
      warnings: number;
      at: string;
    }
  | { type: "record-refs"; refs: RefListings; cause: string; at: string }
  | { type: "record-pull"; pull: PullRequestReceived; at: string }
  /** `head`: what Tower listed at its head ref (`refs/pull/<n>/head`, GitLab `refs/merge-requests/<iid>/head`) (null: not there). */
  | { type: "route-pull"; pull: PullRequestReceived; head: string | null; at: string }
  /** Cron: previews whose head moved or whose ttl ran out; `refs` has their head refs. */
  | { type: "check-previews"; refs: RefListings; cause: string; at: string }
  | { type: "record-image"; event: ImageEvent; at: string }
  | { type: "record-undelivered"; key: string; lane: string; reason: string; attempts: number; at: string };

export function decide(command: ProjectCommand, state: ProjectState): DecidedEvent[] {
  const { at } = command;
  switch (command.type) {
    case "record-push":
      return [event({ type: "push.received", data: { push: command.push } }, at, `push:${command.push.deliveryId}`)];
    case "route-push":
      return routePush(command.push, command.config, command.refs, state, at);
    case "record-image":
      return [event(command.event, at, imageEventKey(command.event))];
    case "request-sync": {
      const data = { id: command.id, force: command.force, cause: command.cause };
      return [event({ type: "sync.requested", data }, at, `sync:${command.id}`)];
    }
    case "record-fetch": {
      const data = { commit: command.commit, ref: command.ref, cause: command.cause };
      return [event({ type: "config.fetched", data }, at, `config-fetched:${command.cause}`)];
    }
    case "record-failure": {
      const { commit, stage, errors, cause } = command;
      // A repo down for hours fails the same way every tick: the log records it once.
      if (sameFailure(state.lastFailure, stage, errors)) return [];
      return [event({ type: "config.failed", data: { commit, cause, stage, errors } }, at, `config-failed:${cause}`)];
    }
    case "record-evaluation":
      return evaluation(command, state);
    case "record-refs":
      return movedRefs(command.refs, command.cause, state, at);
    case "record-pull":
      return [event({ type: "pull.received", data: { pull: command.pull } }, at, `pull:${command.pull.deliveryId}`)];
    case "route-pull":
      return routePull(command.pull, command.head, state, at);
    case "check-previews":
      return previewTick(state, command.refs, command.cause, at);
    case "record-undelivered": {
      const { lane, reason, attempts } = command;
      return [event({ type: "feedback.undelivered", data: { lane, reason, attempts } }, at, command.key)];
    }
    default:
      return assertNever(command);
  }
}

function routePush(
  push: PushReceived,
  config: ConfigTarget,
  refs: RefListings,
  state: ProjectState,
  at: string,
): DecidedEvent[] {
  const ignore = (reason: string) => [
    event(
      { type: "push.ignored", data: { deliveryId: push.deliveryId, repo: push.repo, ref: push.ref, reason } },
      at,
      `push-ignored:${push.deliveryId}`,
    ),
  ];
  const index = repoIndexOf(state.apps);
  const isConfig = push.repo === config.repo && push.ref === config.ref;
  const following = appsFollowing(index, push.repo, push.ref);
  if (!isConfig && following.length === 0) {
    if (push.repo === config.repo || index.repos.has(push.repo))
      return ignore(`${push.ref} is not followed by the config or any app of ${push.repo}`);
    return ignore(`${push.repo} is not watched`);
  }
  if (push.deleted) return ignore(`${push.ref} was deleted: nothing to deploy`);
  const listed = refs[push.repo];
  const commit = listed?.[push.ref];
  if (listed === undefined && !isConfig)
    return ignore(`the refs of ${push.repo} could not be listed: the next check looks again`);
  if (commit === undefined && !isConfig) return ignore(`${push.ref} is not in ${push.repo}: nothing to deploy`);
  const cause = `push:${push.deliveryId}`;
  const told = commit === undefined ? [] : following.filter((name) => state.apps[name]?.sourceCommit !== commit);
  // The config commit Tower read and evaluated already: a replayed or repeated push re-reads nothing.
  const configRead = isConfig && commit !== undefined && commit === state.config.lastEvaluation?.commit;
  if ((!isConfig || configRead) && told.length === 0)
    return ignore(`${push.ref} of ${push.repo} is at ${commit} and everything following it is there already`);
  // A config whose refs could not be listed is still re-read: the fetch resolves the ref itself.
  const data = {
    deliveryId: push.deliveryId,
    commit: commit ?? push.after,
    config: isConfig && !configRead,
    apps: told,
  };
  return [
    event({ type: "push.routed", data }, at, `push-routed:${push.deliveryId}`),
    ...told.map((name) => desired(state, name, commit!, cause, false, at)),
  ];
}

type RecordEvaluation = Extract<ProjectCommand, { type: "record-evaluation" }>;

function evaluation(command: RecordEvaluation, state: ProjectState): DecidedEvent[] {
  const { commit, cause, force, prune, apps, errors, warnings, at } = command;
  // An error outside an app's own file (a project file, a cycle) leaves the whole tree in doubt.
  const fatal = errors.filter((error) => !isAppFile(error.file));
  if (fatal.length > 0) {
    const data = { commit, cause, stage: "evaluate" as const, errors };
    return [event({ type: "config.failed", data }, at, `config-failed:${cause}`)];
  }
  const names = new Set(apps.map((app) => app.name));
  const kept = Object.values(state.apps)
    .filter((app) => !names.has(app.name) && errors.some((error) => error.file === app.file))
    .map((app) => app.name);
  const events: DecidedEvent[] = [
    event(
      { type: "config.evaluated", data: { commit, cause, apps, kept, errors, warnings } },
      at,
      `config-evaluated:${cause}`,
    ),
  ];
  for (const app of apps) {
    const before = state.apps[app.name];
    const changed = !before || before.configHash !== app.configHash || before.sourceCommit !== app.sourceCommit;
    // A git source whose ref cannot be found has nothing to build yet.
    const buildable = !gitSource(app) || app.sourceCommit !== null;
    if ((changed || force) && buildable)
      events.push(desiredEvent(app.name, app.configHash, app.sourceCommit, cause, force, at));
  }
  const removed = (app: string, withPrune: boolean) =>
    event({ type: "app.removed", data: { app, prune: withPrune, cause } }, at, `removed:${app}:${cause}`);
  for (const name of Object.keys(state.apps)) {
    if (names.has(name) || kept.includes(name)) continue;
    // Prune deletes only after one more full, error-free evaluation still lacks the app.
    if (prune)
      events.push(
        event({ type: "app.prune-pending", data: { app: name, cause } }, at, `prune-pending:${name}:${cause}`),
      );
    else events.push(removed(name, false));
  }
  const confirmed = prune && errors.length === 0;
  for (const name of Object.keys(state.prunePending ?? {}))
    if (!names.has(name) && confirmed) events.push(removed(name, true));
  return events;
}

function movedRefs(refs: RefListings, cause: string, state: ProjectState, at: string): DecidedEvent[] {
  const events: DecidedEvent[] = [];
  for (const app of Object.values(state.apps)) {
    const source = gitSource(app);
    const ref = source && trackedRef(source.ref);
    const commit = source && ref ? refs[source.repo]?.[ref] : undefined;
    // A ref that is gone deploys nothing; the app stays where it is.
    if (commit && commit !== app.sourceCommit) events.push(desired(state, app.name, commit, cause, false, at));
  }
  return events;
}

function desired(state: ProjectState, name: string, commit: string, cause: string, force: boolean, at: string) {
  return desiredEvent(name, state.apps[name]!.configHash, commit, cause, force, at);
}

function desiredEvent(
  app: string,
  configHash: string,
  sourceCommit: string | null,
  cause: string,
  force: boolean,
  at: string,
) {
  return event(
    { type: "app.desired", data: { app, configHash, sourceCommit, cause, force } },
    at,
    `desired:${app}:${cause}`,
  );
}

function sameFailure(
  last: ProjectState["lastFailure"],
  stage: string,
  errors: Omit<Diagnostic, "severity">[],
): boolean {
  if (last === null || last.stage !== stage || last.messages.length !== errors.length) return false;
  return errors.every((error, i) => error.message === last.messages[i]);
}

/** App files are the ones whose errors only stop that app: `app.yaml`/`app.yml`/`fly.toml`. */
export function isAppFile(file: string): boolean {
  return /(^|\/)(app\.ya?ml|fly\.toml)$/.test(file);
}

function assertNever(command: never): never {
  throw new Error(`unhandled project command ${JSON.stringify(command)}`);
}
