/** A live preview as the API and dashboard show it: its summary with `preview: {app, number, head}`. */
import type { AppSummary } from "../contract";
import type { EventStore } from "../event-store";
import { readSummary } from "./project-rows";
import type { ProjectState } from "./state";

/**
 * The preview named `name` as its AppDO last reported it (when `reported`), else as the project
 * knows it (pending); null when no live preview has that name.
 */
export function previewSummary(
  state: Pick<ProjectState, "apps" | "previews">,
  rows: Pick<EventStore, "getState">,
  name: string,
  reported: boolean,
): AppSummary | null {
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
