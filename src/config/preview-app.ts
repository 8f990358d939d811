/**
 * A pull request's preview app, derived from the app that enables `previews`: pure, so the
 * ProjectDO can rebuild it from the app's resolved row whenever it must tell the preview's AppDO.
 */
import { sha256Hex } from "../base/canonical";
import { configHashOf } from "./hash";
import type { PreviewSettings, ResolvedApp } from "./resolved-app";

/** Fly app names are DNS labels (see schema/primitives.ts `appName`). */
const MAX_NAME = 63;
const HASH_CHARS = 8;

/**
 * `<app>` and `<number>` filled in; a name past 63 characters keeps its start and ends with a hash
 * of the whole, so two long names that share a prefix stay apart.
 */
export function previewName(template: string, app: string, number: number): string {
  const full = template.replaceAll("<app>", app).replaceAll("<number>", String(number));
  if (full.length <= MAX_NAME) return full;
  const head = full.slice(0, MAX_NAME - HASH_CHARS - 1).replace(/-+$/, "");
  return `${head}-${sha256Hex(full).slice(0, HASH_CHARS)}`;
}

export interface PullRequestHead {
  number: number;
  /** The commit the pull request's head ref points at, as Tower listed it. */
  commit: string;
}

/**
 * The preview of `app` at a pull request's head: its own name, one machine unless `machines` says
 * otherwise (stopped when idle), the app's env under the preview's, only the preview's secrets.
 */
export function previewApp(app: ResolvedApp, settings: PreviewSettings, pr: PullRequestHead): ResolvedApp {
  if (app.source.type !== "git") throw new Error(`previews need a git source; ${app.name} has ${app.source.type}`);
  const name = previewName(settings.name, app.name, pr.number);
  const primaryRegion = settings.region ?? app.primaryRegion;
  const config: Record<string, unknown> = { ...app.config, app: name, primary_region: primaryRegion };
  delete config.extra_regions;
  // A preview's name is new: it never takes over an app that exists already.
  delete config.adopt;
  config.machines = settings.machines ?? { count: 1 };
  if (settings.env || app.config.env) config.env = { ...(app.config.env as object | undefined), ...settings.env };
  const http = app.config.http_service as Record<string, unknown> | undefined;
  // A preview idles most of its life: Fly's proxy stops it and starts it on the next request.
  if (http)
    config.http_service = { auto_stop_machines: "stop", auto_start_machines: true, ...http, min_machines_running: 0 };
  const partial = {
    name,
    org: settings.org ?? app.org,
    primaryRegion,
    regions: [primaryRegion],
    file: app.file,
    projects: app.projects,
    source: { ...app.source, ref: { commit: pr.commit } },
    config,
    secrets: settings.secrets,
    secretsDigest: settings.secretsDigest,
  };
  // Its deploys are reported where the app's are, linking the preview (feedback-plan.ts).
  const feedback = app.feedback ? { feedback: app.feedback } : {};
  const previewOf = { app: app.name, number: pr.number };
  return { ...partial, configHash: configHashOf(partial), previewOf, ...feedback };
}
