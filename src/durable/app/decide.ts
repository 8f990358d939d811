/**
 * decide(command, state) → events: every rule about when an app deploys. Pure: no clock, no ids,
 * no I/O. Rules: deploy when (config hash, source commit, secrets digest) differs from the last
 * successful deploy; one deploy at a time; desired states arriving mid-deploy wait, collapsing into
 * the newest; force-sync redeploys an unchanged app; a deploy past its timeout fails.
 */
import type { AppCommand } from "./commands";
import { type AppEvent, event } from "./events";
import { failedEvents, ROLLBACK_PREFIX, rollbackSource } from "./restore";
import { type AppState, builtImage, driftBase, findDeploy, newCommit, sameTarget } from "./state";

export function decide(command: AppCommand, state: AppState): AppEvent[] {
  const { at } = command;
  const running = findDeploy(state, state.running);
  switch (command.type) {
    case "desire": {
      if (sameTarget(state.desired, command.target) && state.destroy === null) return [];
      const { app, org, cause, deployId } = command;
      const desired = event(
        { type: "desired.changed", data: { ...command.target, app, org, cause, deployId } },
        at,
        command.key,
      );
      // Pinned by a rollback: what is not a new commit (a secrets change) is recorded, not deployed.
      if (state.pin && !newCommit(state, command.target)) return [desired];
      const unpinned = state.pin
        ? [
            event(
              {
                type: "app.unpinned",
                data: { reason: `new commit ${command.target.sourceCommit ?? "?"}`, deployId: null },
              },
              at,
              `${command.key}:unpin`,
            ),
          ]
        : [];
      return [...unpinned, ...supersede(state, at, deployId), desired];
    }
    case "force-sync": {
      if (!state.desired || state.destroy !== null || state.pin) return [];
      // A deploy of the same target already running or queued satisfies the request.
      const queued = findDeploy(state, state.queued);
      if (queued || (running && sameTarget(running, state.desired))) return [];
      const { deployId, cause } = command;
      return [event({ type: "deploy.requested", data: { deployId, cause } }, at, command.key)];
    }
    case "detect-drift": {
      const applied = driftBase(state);
      if (applied === null || command.version !== state.version) return [];
      const { deployId, cause, planSummary } = command;
      const data = { deployId, cause, appliedBy: applied.id, planSummary };
      return [event({ type: "drift.detected", data }, at, command.key)];
    }
    case "tick": {
      if (running) {
        if (running.timeoutAt === null || at < running.timeoutAt) return [];
        const step = running.steps[running.steps.length - 1]?.name ?? "start";
        const reason = `timed out after ${Date.parse(at) - Date.parse(running.startedAt ?? at)} ms in step ${step}`;
        return [failed(running.id, at, step, reason)];
      }
      const queued = findDeploy(state, state.queued);
      if (!queued || state.destroy !== null) return [];
      const { id: deployId, configHash, sourceCommit, secretsDigest, cause } = queued;
      const timeoutAt = new Date(Date.parse(at) + command.timeoutMs).toISOString();
      const release = state.lastRelease + 1;
      const data = { deployId, release, cause, timeoutAt, configHash, sourceCommit, secretsDigest };
      return [event({ type: "deploy.started", data }, at, `${deployId}:started`)];
    }
    case "record-step": {
      if (running?.id !== command.deployId) return [];
      const { step, deployId } = command;
      const last = running.steps[running.steps.length - 1];
      // A step that keeps answering the same (a health wait) is recorded once, not once per slice.
      if (last && last.name === step.name && last.outcome === step.outcome && last.message === step.message) return [];
      const recorded = event(
        { type: "deploy.step", data: { deployId, ...step } },
        at,
        `${deployId}:step@${state.version}`,
      );
      if (step.outcome !== "stalled") return [recorded];
      const failure = { step: step.name, reason: step.message ?? "stalled", ...(step.gate ? { gate: step.gate } : {}) };
      return [recorded, ...failedEvents(state, running, at, failure, command.restore)];
    }
    case "record-plan": {
      if (running?.id !== command.deployId) return [];
      const { deployId, image, planSummary } = command;
      return [event({ type: "deploy.planned", data: { deployId, image, planSummary } }, at, `${deployId}:planned`)];
    }
    case "succeed": {
      if (running?.id !== command.deployId) return [];
      const data = { deployId: running.id, release: running.release };
      return [event({ type: "deploy.succeeded", data }, at, `${running.id}:succeeded`)];
    }
    case "record-build-start": {
      // Skip rule: an image of the same (commit, subdir, Dockerfile, args, target) exists already.
      if (running?.id !== command.deployId || running.build || builtImage(state, command.buildKey)) return [];
      const { deployId, buildKey, machineId, builderApp, image } = command;
      const data = { deployId, buildKey, machineId, builderApp, image };
      return [event({ type: "build.started", data }, at, `${deployId}:build.started`)];
    }
    case "record-build-finish": {
      const build = running?.id === command.deployId ? running.build : undefined;
      if (build?.outcome !== "running") return [];
      const { deployId, exitCode, digest, image } = command;
      const durationMs = Math.max(0, Date.parse(at) - Date.parse(build.startedAt));
      const data = { deployId, buildKey: build.key, exitCode, digest, image, durationMs };
      return [event({ type: "build.finished", data }, at, `${deployId}:build.finished`)];
    }
    case "record-build-fail": {
      if (running?.id !== command.deployId || (running.build && running.build.outcome !== "running")) return [];
      const { deployId, buildKey, reason } = command;
      const data = { deployId, buildKey: running.build?.key ?? buildKey, reason };
      return [
        event({ type: "build.failed", data }, at, `${deployId}:build.failed`),
        failed(deployId, at, "build", reason),
      ];
    }
    case "fail":
      return running?.id === command.deployId ? [failed(running.id, at, command.step, command.reason)] : [];
    case "rollback": {
      if (state.destroy !== null) return [];
      const source = rollbackSource(state, command.from, command.kept);
      if (!("id" in source)) return [];
      const { deployId } = command;
      const data = { deployId, from: source.id, release: source.release, cause: `${ROLLBACK_PREFIX}${source.id}` };
      return [...supersede(state, at, deployId), event({ type: "rollback.requested", data }, at, command.key)];
    }
    case "unpin": {
      if (!state.pin) return [];
      const follow = state.desired && !sameTarget(state.desired, state.deployed) ? command.deployId : null;
      return [
        event({ type: "app.unpinned", data: { reason: "unpinned by an admin", deployId: follow } }, at, command.key),
      ];
    }
    case "record-ownership": {
      // Created is final until the app is destroyed; adopted stays adopted.
      if (state.ownership && (state.ownership.how === "created" || command.how === "adopted")) return [];
      const { deployId, how, org, reason } = command;
      const key = `${deployId}:${how}@${state.version}`;
      if (how === "created") return [event({ type: "app.created", data: { deployId, org } }, at, key)];
      return [event({ type: "app.adopted", data: { deployId, reason } }, at, key)];
    }
    case "destroy":
      if (state.destroy !== null || state.name === null) return [];
      return [
        ...supersede(state, at, "destroy"),
        event({ type: "app.destroy.requested", data: { cause: command.cause } }, at, command.key),
      ];
    case "record-destroy": {
      if (state.destroy !== "requested" || running) return [];
      const data = { destroyed: command.destroyed, reason: command.reason };
      return [event({ type: "app.destroyed", data }, at, `destroyed@${state.version}`)];
    }
    case "record-undelivered": {
      const { lane, reason, attempts } = command;
      return [event({ type: "feedback.undelivered", data: { lane, reason, attempts } }, at, command.key)];
    }
    default: {
      const unhandled: never = command;
      throw new Error(`unhandled command ${(unhandled as AppCommand).type}`);
    }
  }
}

function supersede(state: AppState, at: string, by: string): AppEvent[] {
  if (state.queued === null) return [];
  const deployId = state.queued;
  return [event({ type: "deploy.superseded", data: { deployId, by } }, at, `${deployId}:superseded`)];
}

/** deploy.failed for a failure that is not a gate's: no restore follows. */
function failed(deployId: string, at: string, step: string, reason: string): AppEvent {
  return event({ type: "deploy.failed", data: { deployId, step, reason } }, at, `${deployId}:failed`);
}
