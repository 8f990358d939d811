/** evolve(state, event) → state: the only place the AppDO's state changes. Pure. */
import type { AppEvent, Target } from "./events";
import { type AppState, type DeployRecord, findDeploy, sameTarget } from "./state";

export function evolve(state: AppState, event: AppEvent, seq = state.version + 1): AppState {
  const next = { ...state, version: seq };
  switch (event.type) {
    case "desired.changed": {
      const { app, org, cause, deployId, ...target } = event.data;
      const base = findDeploy(state, state.running) ?? state.deployed;
      const changed = !sameTarget(target, base);
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
    case "deploy.failed":
      return {
        ...update(next, event.data.deployId, {
          outcome: "failed",
          finishedAt: event.at,
          error: `${event.data.step}: ${event.data.reason}`,
        }),
        running: state.running === event.data.deployId ? null : state.running,
      };
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
    case "app.destroy.requested":
      return { ...next, destroy: "requested" };
    case "app.destroyed":
      return { ...next, destroy: "done", deployed: event.data.destroyed ? null : state.deployed };
    case "feedback.undelivered":
      // Told to readers of the log; the deploy state does not depend on it.
      return next;
    default: {
      const unhandled: never = event;
      throw new Error(`unhandled event ${(unhandled as AppEvent).type}`);
    }
  }
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
