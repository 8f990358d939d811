/** evolve(state, event) → state: the only place the AppDO's state changes. Pure. */
import type { AppEvent, Target } from "./events";
import { type AppState, type DeployRecord, findDeploy, sameTarget } from "./state";

/** Finished deploys the state keeps (older ones live in the deploy history table only). */
export const KEPT_DEPLOYS = 20;
/** Build keys the state keeps for the same-key skip; an older key just builds again. */
export const KEPT_BUILDS = 100;

export function evolve(state: AppState, event: AppEvent, seq = state.version + 1): AppState {
  return trimHistory(fold(state, event, seq));
}

/**
 * Keeps the state small whatever the history: the queued and running deploys, the last
 * KEPT_DEPLOYS others (the newest finished one among them, which drift checks and the summary
 * read) and the last KEPT_BUILDS build keys. Every deploy stays in the deploy history table.
 */
export function trimHistory(state: AppState): AppState {
  const keys = Object.keys(state.builds);
  const builds =
    keys.length > KEPT_BUILDS
      ? Object.fromEntries(keys.slice(-KEPT_BUILDS).map((k) => [k, state.builds[k]!]))
      : state.builds;
  if (state.deploys.length <= KEPT_DEPLOYS && builds === state.builds) return state;
  const cut = state.deploys.length - KEPT_DEPLOYS;
  const deploys = state.deploys.filter((d, i) => i >= cut || d.id === state.queued || d.id === state.running);
  return { ...state, deploys, builds };
}

function fold(state: AppState, event: AppEvent, seq: number): AppState {
  const next = { ...state, version: seq };
  switch (event.type) {
    case "desired.changed": {
      const { app, org, cause, deployId, ...target } = event.data;
      const base = findDeploy(state, state.running) ?? state.deployed;
      // While pinned by a rollback the new desired state is remembered, not deployed.
      const changed = !sameTarget(target, base) && state.pin === null;
      return {
        ...next,
        name: app,
        org,
        desired: { ...target, cause },
        destroy: null,
        queued: changed ? deployId : null,
        deploys: changed ? [...state.deploys, queuedDeploy(deployId, target, cause, false, event.at)] : state.deploys,
      };
    }
    case "deploy.requested": {
      if (!state.desired) return next;
      const { cause, ...target } = state.desired;
      const record = { ...queuedDeploy(event.data.deployId, target, event.data.cause, true, event.at), redeploy: true };
      return { ...next, queued: record.id, deploys: [...state.deploys, record] };
    }
    case "drift.detected": {
      if (!state.deployed) return next;
      const record = queuedDeploy(event.data.deployId, state.deployed, event.data.cause, true, event.at);
      return { ...next, queued: record.id, deploys: [...state.deploys, record] };
    }
    case "deploy.superseded":
      return {
        ...update(next, event.data.deployId, { outcome: "superseded", finishedAt: event.at }),
        queued: state.queued === event.data.deployId ? null : state.queued,
      };
    case "deploy.started": {
      const { deployId, release, cause, timeoutAt, ...target } = event.data;
      const started = { ...target, cause, release, timeoutAt, outcome: "running", startedAt: event.at } as const;
      const withRecord = findDeploy(state, deployId)
        ? next
        : { ...next, deploys: [...next.deploys, queuedDeploy(deployId, target, cause, false, event.at)] };
      return {
        ...update(withRecord, deployId, started),
        lastRelease: Math.max(state.lastRelease, release),
        running: deployId,
        queued: state.queued === deployId ? null : state.queued,
      };
    }
    case "deploy.step": {
      const { deployId, ...step } = event.data;
      const steps = findDeploy(state, deployId)?.steps ?? [];
      const last = steps[steps.length - 1];
      // Repeated outcomes of one step (a health wait polled across slices) update one entry.
      const merged =
        last && last.name === step.name
          ? [...steps.slice(0, -1), { ...step, startedAt: last.startedAt }]
          : [...steps, step];
      return update(next, deployId, { steps: merged });
    }
    case "deploy.planned":
      return update(next, event.data.deployId, { image: event.data.image, planSummary: event.data.planSummary });
    case "deploy.succeeded": {
      const record = findDeploy(state, event.data.deployId);
      return {
        ...update(next, event.data.deployId, { outcome: "succeeded", finishedAt: event.at }),
        deployed: record ? pickTarget(record) : state.deployed,
        running: state.running === event.data.deployId ? null : state.running,
      };
    }
    case "deploy.failed": {
      const { step, reason, gate } = event.data;
      return {
        ...update(next, event.data.deployId, {
          outcome: "failed",
          finishedAt: event.at,
          error: `${step}: ${reason}`,
          failure: { step, reason, ...(gate ? { gate } : {}) },
        }),
        running: state.running === event.data.deployId ? null : state.running,
      };
    }
    case "restore.requested": {
      const restored = putBack(next, event.data.deployId, event.data.from, event.data.cause, event.at);
      return update(restored, event.data.failed, { restoredBy: event.data.deployId });
    }
    case "rollback.requested": {
      const { deployId, from, release, cause } = event.data;
      const pin = {
        deployId: from,
        release,
        by: deployId,
        since: event.at,
        wanted: state.desired
          ? { configHash: state.desired.configHash, sourceCommit: state.desired.sourceCommit }
          : null,
      };
      return { ...putBack(next, deployId, from, cause, event.at), pin };
    }
    case "app.unpinned": {
      const unpinned = { ...next, pin: null };
      const { deployId } = event.data;
      if (deployId === null || !state.desired) return unpinned;
      const { cause: _cause, ...target } = state.desired;
      const record = queuedDeploy(deployId, target, "unpin", false, event.at);
      return { ...unpinned, queued: deployId, deploys: [...state.deploys, record] };
    }
    case "build.started": {
      const { deployId, buildKey: key, machineId, builderApp, image } = event.data;
      return update(next, deployId, {
        build: { key, machineId, builderApp, image, startedAt: event.at, outcome: "running" },
      });
    }
    case "build.finished": {
      const { deployId, buildKey, image } = event.data;
      const build = findDeploy(state, deployId)?.build;
      const patched = build ? update(next, deployId, { build: { ...build, image, outcome: "finished" } }) : next;
      return { ...patched, builds: { ...state.builds, [buildKey]: image } };
    }
    case "build.failed": {
      const build = findDeploy(state, event.data.deployId)?.build;
      if (!build) return next;
      return update(next, event.data.deployId, { build: { ...build, outcome: "failed", error: event.data.reason } });
    }
    case "app.created":
      return { ...next, ownership: { how: "created", at: event.at, deployId: event.data.deployId } };
    case "app.adopted":
      return { ...next, ownership: { how: "adopted", at: event.at, deployId: event.data.deployId } };
    case "app.destroy.requested":
      return { ...next, destroy: "requested" };
    case "app.destroyed":
      // A destroyed app is nobody's: if config names it again, Tower creates it anew.
      return event.data.destroyed
        ? { ...next, destroy: "done", deployed: null, ownership: null }
        : { ...next, destroy: "done" };
    case "feedback.undelivered":
      // Told to readers of the log; the deploy state does not depend on it.
      return next;
    default: {
      const unhandled: never = event;
      throw new Error(`unhandled event ${(unhandled as AppEvent).type}`);
    }
  }
}

/** Queues a deploy of release `from` exactly: its target, image and (kept) config. */
function putBack(state: AppState, deployId: string, from: string, cause: string, at: string): AppState {
  const source = findDeploy(state, from);
  if (!source || source.image === null) return state;
  const record = { ...queuedDeploy(deployId, source, cause, true, at), from: { deployId: from, image: source.image } };
  return { ...state, queued: deployId, deploys: [...state.deploys, record] };
}

function queuedDeploy(id: string, target: Target, cause: string, force: boolean, at: string): DeployRecord {
  return {
    id,
    ...pickTarget(target),
    release: 0,
    outcome: "queued",
    cause,
    force,
    redeploy: false,
    requestedAt: at,
    startedAt: null,
    finishedAt: null,
    timeoutAt: null,
    image: null,
    planSummary: {},
    steps: [],
    error: null,
  };
}

function pickTarget(t: Target): Target {
  return { configHash: t.configHash, sourceCommit: t.sourceCommit, secretsDigest: t.secretsDigest };
}

function update(state: AppState, id: string, patch: Partial<DeployRecord>): AppState {
  return { ...state, deploys: state.deploys.map((deploy) => (deploy.id === id ? { ...deploy, ...patch } : deploy)) };
}
