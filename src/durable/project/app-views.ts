/**
 * The ProjectDO's read side: apps and live previews as the API and dashboard show them, from the
 * project's state and the summaries AppDOs reported (project-rows.ts), never asking an AppDO.
 */
import type { AppSummary } from "../contract";
import type { EventStore } from "../event-store";
import { readSummary } from "./project-rows";
import type { KnownApp, ProjectState } from "./state";

type Views = Pick<ProjectState, "apps" | "previews">;
type Rows = Pick<EventStore, "getState">;

/** Every app in config by name, then the live previews by name, as last reported (else pending). */
export function listedApps(state: Views, rows: Rows): AppSummary[] {
  const apps = Object.values(state.apps).sort((a, b) => a.name.localeCompare(b.name));
  const listed = apps.map((app) => readSummary(rows, app.name)?.summary ?? configView(app));
  const previews = Object.values(state.previews).sort((a, b) => a.app.localeCompare(b.app));
  return [...listed, ...previews.map((p) => previewSummary(state, rows, p.app, true)!)];
}

/**
 * One app in config or live preview: as its AppDO last reported it when `reported` (else as config
 * holds it, pending); null for a name Tower does not know.
 */
export function appView(state: Views, rows: Rows, name: string, reported: boolean): AppSummary | null {
  const app = Object.hasOwn(state.apps, name) ? state.apps[name] : undefined;
  if (!app) return previewSummary(state, rows, name, reported);
  return (reported && readSummary(rows, name)?.summary) || configView(app);
}

/** An app before its AppDO has anything to say: pending, as config resolves it. */
function configView(app: KnownApp): AppSummary {
  const desired = { configHash: app.configHash, sourceCommit: app.sourceCommit };
  const deployed = { configHash: null, sourceCommit: null };
  return {
    name: app.name,
    org: app.org,
    status: "pending",
    desired,
    deployed,
    lastDeploy: null,
    failure: null,
    pin: null,
  };
}

/**
 * The preview named `name` as its AppDO last reported it (when `reported`), else as the project
 * knows it (pending); null when no live preview has that name.
 */
function previewSummary(state: Views, rows: Rows, name: string, reported: boolean): AppSummary | null {
  const p = Object.hasOwn(state.previews, name) ? state.previews[name] : undefined;
  if (!p) return null;
  const preview = { app: p.of, number: p.number, head: p.head };
  const summary = (reported && readSummary(rows, p.app)?.summary) || pending(p.app, state.apps[p.of]?.org ?? "");
  return { ...summary, preview };
}

/** A preview before its AppDO has anything to say. */
function pending(name: string, org: string): AppSummary {
  const none = { configHash: null, sourceCommit: null };
  return { name, org, status: "pending", desired: none, deployed: none, lastDeploy: null, failure: null, pin: null };
}
