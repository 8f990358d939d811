/**
 * Where each wave stands and what is due, from plain data: the waves as config resolves them,
 * each app's desired hash and the summary its AppDO reported, the waves' log state and the time.
 * Health is one small function per app; a wave is as healthy as its worst app. Pure.
 */
import { entryOfImage, type ImagesFile } from "../../config/images-file";
import type { AppSource } from "../../config/resolved-app";
import type { ResolvedWave } from "../../config/waves";
import { digestsKey, type WavesState } from "./state";
import type { WaveWrite } from "./wave-write";

/** The part of an AppDO's summary (contract.ts AppSummary) health reads. */
export interface ReportedApp {
  status: string;
  desired: { configHash: string | null };
  deployed: { configHash: string | null };
  lastDeploy: { id: string; release: number; finishedAt: string | null; image: string | null } | null;
  failure: { deployId: string; step: string; reason: string } | null;
  pin: { release: number } | null;
}

export interface WaveApp {
  name: string;
  /** The config hash the evaluated config wants deployed. */
  configHash: string;
  source: AppSource;
  summary: ReportedApp | null;
}

export type AppHealth =
  | { status: "healthy"; since: string | null; deploy: string | null }
  | { status: "deploying" | "failed"; reason: string };

export type WaveHealth =
  | { status: "healthy"; since: string | null }
  | { status: "deploying" | "failed" | "empty"; reason: string };

export type PromotionState =
  | "current"
  | "waiting"
  | "blocked"
  | "soaking"
  | "approval"
  | "gated"
  | "rejected"
  | "retry"
  | "due";

export interface PromotionView {
  from: string;
  /** The entries the next commit would write (those whose digest differs from the wave's file). */
  images: ImagesFile;
  state: PromotionState;
  reason: string;
  /** soaking / retry: when it may go. */
  notBefore?: string;
}

export interface WaveView {
  name: string;
  file: string;
  approve: "auto" | "manual";
  soakMs: number;
  /** The digests its apps run: the file's services they read, and the images built for them. */
  runs: ImagesFile;
  apps: ({ name: string } & AppHealth)[];
  health: WaveHealth;
  /** Into this wave from the one before; null for the first. */
  promotion: PromotionView | null;
}

/** After a failed write, the next try waits this long (a conflict needs a person, not a loop). */
export const RETRY_AFTER_MS = 60_000;

export function appHealth(app: WaveApp): AppHealth {
  const s = app.summary;
  if (!s) return { status: "deploying", reason: `${app.name} has not reported yet` };
  if (s.desired.configHash !== app.configHash)
    return { status: "deploying", reason: `${app.name} has not taken the config yet` };
  if (s.status === "failed" || s.status === "degraded") {
    const f = s.failure;
    const why = f ? `deploy ${f.deployId} failed at ${f.step}: ${f.reason}` : `its deploy ${s.status}`;
    return { status: "failed", reason: `${app.name}: ${why}` };
  }
  if (s.status === "pinned")
    return { status: "failed", reason: `${app.name} is held on release ${s.pin?.release} by a rollback` };
  if (s.status !== "synced" || s.deployed.configHash !== app.configHash)
    return { status: "deploying", reason: `${app.name} is deploying` };
  const last = s.lastDeploy;
  return {
    status: "healthy",
    since: last?.finishedAt ?? null,
    deploy: last ? `${last.id} (release ${last.release})` : null,
  };
}

/** The worst of the apps: failed, then deploying; healthy since the latest app became so. */
function waveHealth(apps: ({ name: string } & AppHealth)[]): WaveHealth {
  if (apps.length === 0) return { status: "empty", reason: "no app of this wave is deployable yet" };
  const failed = apps.flatMap((a) => (a.status === "failed" ? [a.reason] : []));
  if (failed.length > 0) return { status: "failed", reason: failed.join("; ") };
  const busy = apps.flatMap((a) => (a.status === "deploying" ? [a.reason] : []));
  if (busy.length > 0) return { status: "deploying", reason: busy.join("; ") };
  const since = apps.map((a) => (a.status === "healthy" ? a.since : null)).filter((s): s is string => s !== null);
  return { status: "healthy", since: since.sort().at(-1) ?? null };
}

/** What a wave runs, by service: the file entries its apps read, and Tower's builds of its apps. */
function runs(wave: ResolvedWave, apps: WaveApp[], health: Map<string, AppHealth>): ImagesFile {
  const out: ImagesFile = {};
  for (const app of apps) {
    const src = app.source;
    if (src.type === "image" && src.from && wave.images[src.from.service])
      out[src.from.service] = wave.images[src.from.service]!;
    const built = src.type === "git" || src.type === "local" ? src.service : undefined;
    const image = app.summary?.lastDeploy?.image;
    if (built && image && health.get(app.name)?.status === "healthy") {
      const entry = entryOfImage(image);
      if (entry) out[built] = entry;
    }
  }
  return out;
}

export function assessWaves(input: {
  waves: ResolvedWave[];
  apps: Record<string, WaveApp>;
  state: WavesState;
  now: string;
}): { views: WaveView[]; due: WaveWrite | null; wakeAt: string | null } {
  const { state, now } = input;
  const views: WaveView[] = [];
  for (const [i, wave] of input.waves.entries()) {
    const apps = wave.apps.flatMap((name) => input.apps[name] ?? []);
    const health = new Map(apps.map((a) => [a.name, appHealth(a)] as const));
    const waiting = wave.waiting.map((name) => ({
      name,
      status: "deploying" as const,
      reason: `${name} waits for its first image in ${wave.file}`,
    }));
    const appViews = [...apps.map((a) => ({ name: a.name, ...health.get(a.name)! })), ...waiting];
    const view: WaveView = {
      name: wave.name,
      file: wave.file,
      approve: wave.approve,
      soakMs: wave.soakMs,
      runs: runs(wave, apps, health),
      apps: appViews,
      health: waveHealth(appViews),
      promotion: null,
    };
    const before = views[i - 1];
    if (before) view.promotion = promotion(before, wave, state, now);
    views.push(view);
  }
  const dueView = views.find((v) => v.promotion?.state === "due");
  const due: WaveWrite | null = dueView
    ? {
        wave: dueView.name,
        file: dueView.file,
        images: dueView.promotion!.images,
        purpose: { kind: "promote", from: dueView.promotion!.from, deploys: deploysOf(views, dueView.promotion!.from) },
      }
    : null;
  const times = views.flatMap((v) => (v.promotion?.notBefore ? [v.promotion.notBefore] : []));
  return { views, due, wakeAt: times.sort()[0] ?? null };
}

function deploysOf(views: WaveView[], wave: string): string[] {
  const from = views.find((v) => v.name === wave);
  return (from?.apps ?? []).flatMap((a) => (a.status === "healthy" && a.deploy ? [`${a.name} ${a.deploy}`] : []));
}

function promotion(from: WaveView, to: ResolvedWave, state: WavesState, now: string): PromotionView {
  const images: ImagesFile = {};
  for (const [service, entry] of Object.entries(from.runs))
    if (to.images[service]?.digest !== entry.digest) images[service] = entry;
  const view = (s: PromotionState, reason: string, notBefore?: string): PromotionView => ({
    from: from.name,
    images,
    state: s,
    reason,
    ...(notBefore ? { notBefore } : {}),
  });
  if (Object.keys(images).length === 0)
    return view(
      "current",
      Object.keys(from.runs).length === 0
        ? `${from.name} runs no digests yet`
        : `${to.name} has ${from.name}'s digests`,
    );
  const key = digestsKey(images);
  if (state.gated)
    return view("gated", `Tower's commit ${state.gated.commit.slice(0, 12)} (${state.gated.wave}) waits for CI first`);
  const rejected = state.rejected[to.name];
  if (rejected && digestsKey(rejected.images) === key)
    return view("rejected", `CI said ${rejected.state} on ${rejected.commit.slice(0, 12)} with these digests`);
  const failure = state.failures[to.name];
  if (failure) {
    const retry = new Date(Date.parse(failure.at) + RETRY_AFTER_MS).toISOString();
    if (retry > now) return view("retry", `the last commit failed: ${failure.reason}`, retry);
  }
  if (from.health.status === "failed") return view("blocked", `${from.name} failed: ${from.health.reason}`);
  if (from.health.status !== "healthy") return view("waiting", `${from.name}: ${from.health.reason}`);
  const since = from.health.since;
  const soakEnd = since ? new Date(Date.parse(since) + to.soakMs).toISOString() : now;
  if (soakEnd > now)
    return view("soaking", `${from.name} is healthy since ${since}; soak ${to.soakMs / 1000} s`, soakEnd);
  if (to.approve === "manual" && state.approvals[to.name] !== key)
    return view("approval", `waits for POST /api/waves/${to.name}/promote`);
  return view("due", `${from.name} is healthy${to.soakMs ? " and soaked" : ""}`);
}
