/**
 * Preview decisions, pure: which apps a pull request previews, when a preview is (re)deployed and
 * when it is destroyed. The ProjectDO owns them (a preview's lifecycle spans apps); the head commit
 * always comes from Tower's own ref listing, never from the payload.
 */
import { outsideRule } from "../../config/allow-rule";
import { previewName } from "../../config/preview-app";
import { DEFAULT_MAX_PREVIEWS } from "../../config/resolve-app";
import type { PullRequestReceived } from "../contract";
import { type DecidedEvent, event, type PreviewEntry } from "./events";
import { gitSource } from "./repo-index";
import type { KnownApp, ProjectState } from "./state";

/**
 * The ref a host keeps at a pull request's head, in the base repository: GitLab's
 * `refs/merge-requests/<iid>/head`, GitHub's (and Gitea/Forgejo's) `refs/pull/<n>/head`.
 */
export function pullHeadRef(provider: PullRequestReceived["provider"], number: number): string {
  return provider === "gitlab" ? `refs/merge-requests/${number}/head` : `refs/pull/${number}/head`;
}

/**
 * A pull request's head as Tower's own listing of its base repo says (`ref`: pullHeadRef, and the
 * repo's branches unless the payload already says fork). The payload's "same repo" is not
 * trusted, since anyone with the webhook secret can claim it: a pull request is same-repo only
 * while its head is also the tip of a branch of the base repo.
 */
export function pullHead(
  listed: Record<string, string>,
  ref: string,
  claimedFork: boolean,
): { head: string | null; fork: boolean } {
  const head = listed[ref] ?? null;
  const onBranch = Object.entries(listed).some(([name, id]) => name.startsWith("refs/heads/") && id === head);
  return { head, fork: claimedFork || (head !== null && !onBranch) };
}

/** The head ref a preview follows; previews recorded before `ref` existed are GitHub-style. */
export function previewHeadRef(preview: Pick<PreviewEntry, "ref" | "number">): string {
  return preview.ref ?? pullHeadRef("github", preview.number);
}

/** Apps that preview pull requests of `repo`, sorted by name. */
export function previewingApps(state: ProjectState, repo: string): KnownApp[] {
  return Object.values(state.apps)
    .filter((app) => app.previews && gitSource(app)?.repo === repo)
    .sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * A pull request event routed: `head` is what its head ref (pullHeadRef) points at now (null: the host
 * does not have it). Opened/updated → each previewing app's preview deployed at `head`; closed →
 * the previews of that pull request closed.
 */
export function routePull(pull: PullRequestReceived, head: string | null, state: ProjectState, at: string) {
  const ignore = (reason: string): DecidedEvent[] => [
    event(
      { type: "pull.ignored", data: { deliveryId: pull.deliveryId, repo: pull.repo, number: pull.number, reason } },
      at,
      `pull-ignored:${pull.deliveryId}`,
    ),
  ];
  const cause = `pull:${pull.deliveryId}`;
  const apps = previewingApps(state, pull.repo);
  if (apps.length === 0) return ignore(`no app of ${pull.repo} enables previews`);
  const open = Object.values(state.previews).filter((p) => p.repo === pull.repo && p.number === pull.number);
  const routed = (names: string[], events: DecidedEvent[]) => [
    event(
      {
        type: "pull.routed",
        data: { deliveryId: pull.deliveryId, repo: pull.repo, number: pull.number, previews: names },
      },
      at,
      `pull-routed:${pull.deliveryId}`,
    ),
    ...events,
  ];
  if (pull.action === "close") {
    if (open.length === 0) return ignore(`pull request #${pull.number} has no preview`);
    return routed(
      open.map((p) => p.app),
      open.map((p) => closed(p, "pull request closed", cause, at)),
    );
  }
  const allowed = apps.filter((app) => !pull.fork || app.previews!.forks);
  if (allowed.length === 0)
    return ignore(
      `pull request #${pull.number} comes from a fork (its head is no branch of ${pull.repo}) and previews.forks is off (${apps.map((a) => a.name).join(", ")}): its code would run with the preview's secrets`,
    );
  const ref = pullHeadRef(pull.provider, pull.number);
  if (head === null) return ignore(`${ref} is not on ${pull.repo}: nothing to deploy`);
  const outOfLane = allowed.map((app) => outOfLaneReason(state, app, pull.repo, pull.number)).filter((r) => r !== null);
  if (outOfLane.length > 0) return ignore(`pull request #${pull.number} gets no preview: ${outOfLane.join("; ")}`);
  // A preview already live is updated; a new one only while its app has fewer than previews.max.
  const full = allowed.filter((app) => !livePreview(state, app, pull.number) && atMax(state, app));
  const events = allowed
    .filter((app) => !full.includes(app))
    .map((app) => desired(app, { repo: pull.repo, number: pull.number, ref }, head, cause, at))
    .filter((e) => state.previews[e.data.app]?.head !== head);
  if (events.length === 0 && full.length > 0)
    return ignore(
      `pull request #${pull.number} gets no preview: ${full.map((app) => `${app.name} has ${maxOf(app)} live (previews.max)`).join(", ")}; one opens when another closes`,
    );
  if (events.length === 0) return ignore(`every preview of pull request #${pull.number} is at ${head} already`);
  return routed(
    events.map((e) => e.data.app),
    events,
  );
}

/**
 * Cron catch-up over the live previews: a head that moved (a missed `synchronize`) redeploys; a
 * preview with no push for its `ttl`, or whose app no longer enables previews, is destroyed.
 * `refs` holds each preview's listed head ref per repo; a repo that could not be listed is absent.
 */
export function previewTick(
  state: ProjectState,
  refs: Record<string, Record<string, string>>,
  cause: string,
  at: string,
): DecidedEvent[] {
  const events: DecidedEvent[] = [];
  for (const preview of Object.values(state.previews).sort((a, b) => a.app.localeCompare(b.app))) {
    const app = state.apps[preview.of];
    const ageHours = (Date.parse(at) - Date.parse(preview.at)) / 3_600_000;
    if (!app?.previews) events.push(closed(preview, `${preview.of} no longer enables previews`, cause, at));
    else if (ageHours >= preview.ttlHours)
      events.push(closed(preview, `no push for ${preview.ttlHours} h (previews.ttl)`, cause, at));
    else {
      const head = refs[preview.repo]?.[previewHeadRef(preview)];
      const pull = { repo: preview.repo, number: preview.number, ref: previewHeadRef(preview) };
      // A template changed since the preview opened would name another app: that one is not touched.
      const moved = head && head !== preview.head;
      if (moved && !outOfLaneReason(state, app, preview.repo, preview.number))
        events.push(desired(app, pull, head, cause, at));
    }
  }
  return events;
}

/**
 * Why `app`'s preview of pull request `number` may not be made, or null. Its name comes from a
 * template the app's file writes, so it must be checked like an app name: not an app of the
 * config (nor one that left it and still runs), not another pull request's preview, and inside the `allow.apps` rules of the app's
 * projects. Otherwise a template could deploy a pull request into, and on close destroy, another
 * team's app.
 */
export function outOfLaneReason(state: ProjectState, app: KnownApp, repo: string, number: number): string | null {
  const name = previewName(app.previews!.name, app.name, number);
  if (Object.hasOwn(state.apps, name)) return `its name ${name} (previews.name of ${app.name}) is an app of the config`;
  if (Object.hasOwn(state.retired ?? {}, name) || Object.hasOwn(state.prunePending ?? {}, name))
    return `its name ${name} (previews.name of ${app.name}) is an app Tower deployed for the config, which left it and was not pruned`;
  const other = Object.hasOwn(state.previews, name) ? state.previews[name]! : undefined;
  if (other && (other.of !== app.name || other.repo !== repo || other.number !== number))
    return `its name ${name} (previews.name of ${app.name}) is the preview of ${other.of} for pull request #${other.number}`;
  for (const rule of app.previews!.allow ?? []) {
    const why = outsideRule(rule, name, undefined);
    if (why) return `preview ${why} (previews.name of ${app.name})`;
  }
  return null;
}

function maxOf(app: KnownApp): number {
  return app.previews?.max ?? DEFAULT_MAX_PREVIEWS;
}

function livePreview(state: ProjectState, app: KnownApp, number: number): boolean {
  return Object.values(state.previews).some((p) => p.of === app.name && p.number === number);
}

function atMax(state: ProjectState, app: KnownApp): boolean {
  return Object.values(state.previews).filter((p) => p.of === app.name).length >= maxOf(app);
}

function desired(
  app: KnownApp,
  { repo, number, ref }: { repo: string; number: number; ref: string },
  head: string,
  cause: string,
  at: string,
) {
  const settings = app.previews!;
  const name = previewName(settings.name, app.name, number);
  const data = { app: name, of: app.name, repo, number, ref, head, ttlHours: settings.ttlHours, cause };
  return event({ type: "preview.desired", data }, at, previewDesireKey(data));
}

/** The key of a preview's deploy at `head` for `cause`: its event's, and the AppDO notice's. */
export function previewDesireKey(preview: { app: string; head: string; cause: string }): string {
  return `preview-desired:${preview.app}:${preview.head}:${preview.cause}`;
}

function closed(
  preview: { app: string; of: string; number: number },
  reason: string,
  cause: string,
  at: string,
): DecidedEvent {
  const data = { app: preview.app, of: preview.of, number: preview.number, reason, cause };
  return event({ type: "preview.closed", data }, at, `preview-closed:${preview.app}:${cause}`);
}
