import type { AppFailure, AppStatusName, AppSummary, DeployDetail, DeploySummary } from "../contract";
import { RESTORE_PREFIX } from "./restore";
import { type AppState, type DeployRecord, findDeploy, sameTarget } from "./state";

export function appStatus(state: AppState): AppStatusName {
  const running = findDeploy(state, state.running) ?? findDeploy(state, state.queued);
  if (running?.cause.startsWith(RESTORE_PREFIX)) return "degraded";
  if (state.running !== null) return "deploying";
  if (state.queued !== null) return "pending";
  if (appFailure(state)) return "failed";
  if (state.pin) return "pinned";
  if (state.desired && !sameTarget(state.desired, state.deployed) && state.destroy === null) return "pending";
  return "synced";
}

/**
 * Why the wanted release is not running: the newest deploy that failed, when nothing succeeded
 * after it other than its own restore (which puts the old release back, not the wanted one).
 */
export function appFailure(state: AppState): AppFailure | null {
  for (let i = state.deploys.length - 1; i >= 0; i--) {
    const d = state.deploys[i]!;
    if (d.outcome === "queued" || d.outcome === "superseded" || d.outcome === "running") continue;
    if (d.outcome === "succeeded" && !d.cause.startsWith(RESTORE_PREFIX)) return null;
    if (d.outcome !== "failed") continue;
    const restore = d.restoredBy ? findDeploy(state, d.restoredBy) : null;
    return {
      deployId: d.id,
      step: d.failure?.step ?? "",
      reason: d.failure?.reason ?? d.error ?? "",
      ...(d.failure?.gate ? { gate: d.failure.gate } : {}),
      ...(restore ? { restore: { deployId: restore.id, outcome: restore.outcome } } : {}),
    };
  }
  return null;
}

export function toSummary(state: AppState): AppSummary | null {
  if (state.name === null || state.org === null) return null;
  const last = lastDeploy(state);
  return {
    name: state.name,
    org: state.org,
    status: appStatus(state),
    desired: { configHash: state.desired?.configHash ?? null, sourceCommit: state.desired?.sourceCommit ?? null },
    deployed: { configHash: state.deployed?.configHash ?? null, sourceCommit: state.deployed?.sourceCommit ?? null },
    lastDeploy: last ? toDeploySummary(last) : null,
    failure: appFailure(state),
    pin: state.pin
      ? { deployId: state.pin.deployId, release: state.pin.release, by: state.pin.by, since: state.pin.since }
      : null,
  };
}

export function toDeployDetailOf(record: DeployRecord): DeployDetail | null {
  if (record.outcome === "queued") return null;
  return {
    ...toDeploySummary(record),
    planSummary: { ...record.planSummary },
    steps: record.steps.map((step) => ({ ...step })),
    error: record.error,
    failure: record.failure ? { ...record.failure } : null,
    restoreOf: record.from?.deployId ?? null,
    restoredBy: record.restoredBy ?? null,
  };
}

function lastDeploy(state: AppState): DeployRecord | null {
  for (let index = state.deploys.length - 1; index >= 0; index--) {
    const record = state.deploys[index]!;
    if (record.outcome !== "queued" && record.outcome !== "superseded") return record;
  }
  return null;
}

export function toDeploySummary(record: DeployRecord): DeploySummary {
  return {
    id: record.id,
    release: record.release,
    outcome: record.outcome === "queued" ? "running" : record.outcome,
    cause: record.cause,
    configHash: record.configHash,
    sourceCommit: record.sourceCommit,
    startedAt: record.startedAt ?? record.requestedAt,
    finishedAt: record.finishedAt,
    image: record.image,
  };
}
