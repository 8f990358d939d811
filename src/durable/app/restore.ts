/**
 * The rules for putting a good release back (pure, used by decide.ts): a failed deploy records
 * what it changed; a gate failure is followed by a restore of the last good release (its image and
 * config exactly), unless the app opted out or the failed deploy was itself a restore; an admin
 * rollback redeploys a chosen earlier release and pins the app to it.
 */
import type { GateFailure } from "../contract";
import type { RestoreOptions } from "./commands";
import { type AppEvent, type Changed, event } from "./events";
import { type AppState, type DeployRecord, findDeploy, lastGood } from "./state";

export const RESTORE_PREFIX = "restore:";
export const ROLLBACK_PREFIX = "rollback:";

/** deploy.failed for the running deploy, then its restore when a gate stopped it and one is possible. */
export function failedEvents(
  state: AppState,
  deploy: DeployRecord,
  at: string,
  failure: { step: string; reason: string; gate?: GateFailure },
  restore?: RestoreOptions,
): AppEvent[] {
  const good = lastGood(state);
  const changed = good ? changes(good, deploy) : undefined;
  const data = { deployId: deploy.id, ...failure, ...(changed ? { changed } : {}) };
  const out = [event({ type: "deploy.failed", data }, at, `${deploy.id}:failed`)];
  const source = good && failure.gate && restore?.enabled ? restorable(good, restore.kept) : null;
  // A restore that fails stops there (no loop); a newer desired state already queued goes first.
  if (!source || deploy.cause.startsWith(RESTORE_PREFIX) || state.queued !== null || state.destroy !== null) return out;
  const cause = `${RESTORE_PREFIX}${deploy.id}`;
  const restoreData = {
    deployId: restore!.deployId,
    failed: deploy.id,
    from: source.id,
    release: source.release,
    cause,
  };
  return [...out, event({ type: "restore.requested", data: restoreData }, at, `${deploy.id}:restore`)];
}

/** The release a rollback names, if it succeeded and its config is still kept; else why not. */
export function rollbackSource(
  state: AppState,
  from: { deploy: string } | { release: number },
  kept: string[],
): DeployRecord | { code: "not_found" | "not_restorable"; message: string } {
  const record =
    "deploy" in from
      ? findDeploy(state, from.deploy)
      : (state.deploys.find((d) => d.release === from.release && d.outcome === "succeeded") ?? null);
  const name = "deploy" in from ? `deploy ${from.deploy}` : `release ${from.release}`;
  if (!record || record.outcome === "queued" || record.outcome === "superseded")
    return { code: "not_found", message: `${name} is not a deploy of this app` };
  if (record.outcome !== "succeeded" || record.image === null)
    return {
      code: "not_restorable",
      message: `${name} did not succeed: only a release that ran can be rolled back to`,
    };
  if (!restorable(record, kept))
    return { code: "not_restorable", message: `${name}'s config is no longer kept (Tower keeps the last ones only)` };
  return record;
}

function restorable(record: DeployRecord, kept: string[]): DeployRecord | null {
  return record.image !== null && kept.includes(record.id) ? record : null;
}

function changes(good: DeployRecord, deploy: DeployRecord): Changed | undefined {
  const out: Changed = {};
  if (deploy.image !== good.image) out.image = { from: good.image, to: deploy.image };
  if (deploy.configHash !== good.configHash) out.configHash = { from: good.configHash, to: deploy.configHash };
  if (deploy.sourceCommit !== good.sourceCommit)
    out.sourceCommit = { from: good.sourceCommit, to: deploy.sourceCommit };
  if (deploy.secretsDigest !== good.secretsDigest) out.secrets = true;
  return Object.keys(out).length ? out : undefined;
}
