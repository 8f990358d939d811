/**
 * A deploy's first look at Fly, before any build or plan: is this app Tower's to deploy into?
 * Records `app.created` when Tower creates it here and `app.adopted` when it takes an existing app
 * over; refuses an existing app Tower did not create unless its file says `adopt: true`. The
 * `creating` row, written before the create request, makes a crash or a lost answer resume as
 * "created" instead of as someone else's app.
 */
import type { ResolvedApp } from "../../config/resolved-app";
import { readRow, writeRow } from "./app-rows";
import type { DriverContext } from "./driver-context";
import { ownershipOnDeploy } from "./ownership";
import type { DeployRecord } from "./state";

/** Null: go on. A string: the deploy fails with it. */
export async function checkOwnership(
  ctx: DriverContext,
  deploy: DeployRecord,
  app: ResolvedApp,
): Promise<string | null> {
  const { log, engine } = ctx;
  if (log.state.ownership || !engine) return null;
  const creating = readRow(log.store, "creating")?.deployId === deploy.id;
  const exists = creating ? true : await engine.findApp(app.name, app.org);
  const verdict = ownershipOnDeploy(log.state, {
    name: app.name,
    file: app.file,
    exists,
    adopt: app.config.adopt === true,
    creating,
  });
  if ("refuse" in verdict) return verdict.refuse;
  if ("go" in verdict) return null;
  let reason = "reason" in verdict ? verdict.reason : "";
  if ("create" in verdict) {
    writeRow(log.store, "creating", { deployId: deploy.id });
    // "taken" right after Fly said the name was free: an attempt of ours whose answer was lost.
    await engine.createApp(app.name, app.org);
    reason = "Tower created it";
  }
  const how = "record" in verdict ? verdict.record : "created";
  const at = new Date(ctx.now()).toISOString();
  log.execute({ type: "record-ownership", at, deployId: deploy.id, how, org: app.org, reason });
  return null;
}
