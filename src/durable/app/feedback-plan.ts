/**
 * What an AppDO event owes the outside world: commit statuses (`tower/<app>`), a GitHub Deployment
 * with its statuses, and `notify:` messages. Pure: the event, the state after it and the deploy's
 * feedback settings in, outbox entries out. Keys are derived from the deploy and what is said, so
 * the same event can never enqueue a second "success".
 */
import type { ResolvedApp } from "../../config/resolved-app";
import type { NotifyTarget } from "../../config/schema/notify-schema";
import { type CommitState, type Delivery, shortDescription } from "../../notify/delivery";
import { type HostRepo, repoLabel } from "../../notify/git-host";
import { NOTIFICATION_SCHEMA, type Notification } from "../../notify/notification";
import { notifyEntries } from "../feedback/notify-entries";
import type { OutboxEntry } from "../feedback/outbox-table";
import type { AppEvent } from "./events";
import { type AppState, type DeployRecord, findDeploy } from "./state";

/** Where a deploy is reported; fixed when the deploy starts. */
export interface DeployFeedback {
  /** The commit the deploy came from, and its host's API when Tower knows it (null: no statuses). */
  origin: { url: string; sha: string; host: HostRepo | null } | null;
  notify: NotifyTarget[];
  /** Tower's public base URL (PUBLIC_URL), for links; null: statuses carry no link. */
  publicUrl: string | null;
  /** A pull request's preview app: the number and the URL a live release is linked to. Absent: not a preview. */
  preview?: PreviewLink | null;
}

export interface PreviewLink {
  number: number;
  url: string;
}

/** A preview app's link: Fly serves every app at `https://<app>.fly.dev` (flyctl internal/appconfig/config.go `Config.URL`). */
export function previewLink(app: Pick<ResolvedApp, "name" | "previewOf"> | null | undefined): PreviewLink | null {
  if (!app?.previewOf) return null;
  return { number: app.previewOf.number, url: `https://${app.name}.fly.dev` };
}

/** Steps where a failure is Tower's (settings, secrets, its own records), not the app's: `error`. */
const TOWER_STEPS = new Set(["start", "adopt", "resolve-secrets", "resolve-image"]);

export function planFeedback(event: AppEvent, state: AppState, feedback: DeployFeedback): OutboxEntry[] {
  switch (event.type) {
    case "deploy.started":
    case "deploy.succeeded":
    case "deploy.failed": {
      const deploy = findDeploy(state, event.data.deployId);
      if (!deploy || !state.name) return [];
      const failure = event.type === "deploy.failed" ? { step: event.data.step, reason: event.data.reason } : null;
      return [
        ...gitFeedback(event.type, deploy, state, feedback, failure),
        ...notifications(event, deploy, state.name, feedback, failure),
      ];
    }
    default:
      return [];
  }
}

type Failure = { step: string; reason: string } | null;

function gitFeedback(
  type: DeployEventType,
  deploy: DeployRecord,
  state: AppState,
  feedback: DeployFeedback,
  failure: Failure,
) {
  const to = feedback.origin?.host;
  if (!feedback.origin || !to) return [];
  const app = state.name ?? "";
  const { sha } = feedback.origin;
  const lane = repoLabel(to);
  const url = deployUrl(feedback, app, deploy.id);
  // A live preview links the preview itself: what the pull request's reviewers want to open.
  const live = type === "deploy.succeeded" ? feedback.preview?.url : undefined;
  const link = live ? { targetUrl: live } : url ? { targetUrl: url } : {};
  const entries: OutboxEntry[] = [];
  const add = (key: string, delivery: Delivery) =>
    entries.push({ key: `fb:${deploy.id}:${key}:${lane}`, lane, delivery });
  const state_ = commitState(type, failure);
  const description = shortDescription(describe(type, deploy, app, failure, feedback.preview));
  add(`status:${state_}`, {
    kind: "commit-status",
    to,
    sha,
    context: `tower/${app}`,
    state: state_,
    description,
    ...link,
  });
  if (to.type !== "github") return entries;
  const deployment = deploymentKey(deploy.id, lane);
  if (type === "deploy.started")
    add("deployment", { kind: "deployment", to, sha, environment: app, deployId: deploy.id, description });
  const dState = type === "deploy.started" ? "in_progress" : state_ === "pending" ? "in_progress" : state_;
  const environmentUrl = `https://${app}.fly.dev`;
  add(`deployment-status:${dState}`, {
    kind: "deployment-status",
    to,
    deployment,
    state: dState,
    description,
    ...(url ? { logUrl: url } : {}),
    ...(dState === "success" ? { environmentUrl } : {}),
  });
  const replaced = type === "deploy.succeeded" ? previousSuccess(state, deploy) : null;
  if (replaced)
    entries.push({
      key: `fb:${replaced.id}:deployment-status:inactive:${lane}`,
      lane,
      delivery: {
        kind: "deployment-status",
        to,
        deployment: deploymentKey(replaced.id, lane),
        state: "inactive",
        description: shortDescription(`Replaced by release ${deploy.release}`),
      },
    });
  return entries;
}

/** The outbox key of the `deployment` delivery of a deploy: its statuses recall the id by it. */
function deploymentKey(deployId: string, lane: string): string {
  return `fb:${deployId}:deployment:${lane}`;
}

type DeployEventType = "deploy.started" | "deploy.succeeded" | "deploy.failed";

function commitState(type: DeployEventType, failure: Failure): CommitState {
  if (type === "deploy.started") return "pending";
  if (type === "deploy.succeeded" || !failure) return "success";
  return TOWER_STEPS.has(failure.step) ? "error" : "failure";
}

function describe(
  type: DeployEventType,
  deploy: DeployRecord,
  app: string,
  failure: Failure,
  preview?: PreviewLink | null,
): string {
  if (type === "deploy.started") return `Deploying release ${deploy.release} of ${app} to Fly`;
  if (preview && (type === "deploy.succeeded" || !failure))
    return `Preview of #${preview.number} is live at ${preview.url}`;
  if (type === "deploy.succeeded" || !failure) return `Release ${deploy.release} of ${app} is live`;
  return `Release ${deploy.release} failed at ${failure.step}: ${failure.reason}`;
}

/** The last deploy that succeeded before this one: its Deployment is now inactive. */
function previousSuccess(state: AppState, deploy: DeployRecord): DeployRecord | null {
  const earlier = state.deploys.filter((d) => d.id !== deploy.id && d.outcome === "succeeded");
  return earlier[earlier.length - 1] ?? null;
}

function notifications(
  event: AppEvent,
  deploy: DeployRecord,
  app: string,
  feedback: DeployFeedback,
  failure: Failure,
): OutboxEntry[] {
  const name = event.type as DeployEventType;
  const notification: Notification = {
    schema: NOTIFICATION_SCHEMA,
    id: `${deploy.id}:${name}`,
    event: name,
    at: event.at,
    app,
    deploy: { id: deploy.id, release: deploy.release, cause: deploy.cause, url: deployUrl(feedback, app, deploy.id) },
    commit: feedback.origin ? { repo: feedback.origin.url, sha: feedback.origin.sha } : null,
    failure,
    problems: [],
    summary: summary(name, deploy, app, feedback, failure),
  };
  return notifyEntries(feedback.notify, notification, deploy.id);
}

function summary(
  name: DeployEventType,
  deploy: DeployRecord,
  app: string,
  feedback: DeployFeedback,
  failure: Failure,
): string {
  const commit = feedback.origin ? ` (${feedback.origin.sha.slice(0, 7)})` : "";
  if (name === "deploy.started") return `${app}: deploying release ${deploy.release}${commit}`;
  if (name === "deploy.succeeded" && feedback.preview)
    return `${app}: preview of #${feedback.preview.number} deployed${commit}: ${feedback.preview.url}`;
  if (name === "deploy.succeeded") return `${app}: release ${deploy.release} deployed${commit}`;
  return `${app}: release ${deploy.release} failed at ${failure?.step}${commit}: ${failure?.reason}`;
}

function deployUrl(feedback: DeployFeedback, app: string, deployId: string): string | null {
  if (!feedback.publicUrl) return null;
  return `${feedback.publicUrl.replace(/\/+$/, "")}/api/apps/${encodeURIComponent(app)}/deploys/${encodeURIComponent(deployId)}`;
}
