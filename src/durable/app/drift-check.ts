/**
 * The drift check behind `sync.self_heal`: reads what Fly runs and plans against what the last
 * successful deploy applied (its resolved config, its image by digest, the secrets the env holds).
 * A plan that is not empty records `drift.detected`, which queues a deploy of that same state; the
 * normal deploy path then re-applies it. Reads only: the check itself changes nothing on Fly.
 */
import type { DriftCheck } from "../contract";
import { readRow, secretsKey } from "./app-rows";
import type { DriverContext } from "./driver-context";
import { managedSecrets } from "./managed-secrets";
import { resolveSecrets } from "./resolve-secrets";
import { driftBase } from "./state";

type DriftContext = Pick<DriverContext, "log" | "engine" | "env" | "now" | "sliceMs">;

export async function checkDrift(ctx: DriftContext, cause: string, deployId: string): Promise<DriftCheck> {
  const { log } = ctx;
  const version = log.state.version;
  const base = driftBase(log.state);
  if (!base?.image) return { drift: false, skipped: "no successful deploy to compare with, or a deploy is pending" };
  const stored = readRow(log.store, "deploy-app");
  if (stored?.deployId !== base.id || !stored.app) return { drift: false, skipped: "the applied config is not kept" };
  if (!ctx.engine) return { drift: false, skipped: "FLY_API_TOKEN is not set: Tower cannot reach Fly" };
  const secrets = resolveSecrets(stored.app.secrets, ctx.env);
  if ("reason" in secrets) return { drift: false, skipped: secrets.reason };
  const { planSummary } = await ctx.engine.plan({
    app: stored.app,
    image: base.image,
    secrets: secrets.values,
    secretsKey: secretsKey(log.store),
    releaseId: base.id,
    releaseVersion: base.release,
    deadline: ctx.now() + ctx.sliceMs,
    managedSecrets: managedSecrets(log.store),
  });
  if (Object.keys(planSummary).length === 0) return { drift: false, planSummary };
  const at = new Date(ctx.now()).toISOString();
  // `version` voids the finding if a deploy was asked for while Fly was being read.
  const { events } = log.execute({
    type: "detect-drift",
    at,
    key: `drift:${deployId}`,
    deployId,
    version,
    cause,
    planSummary,
  });
  return { drift: events.length > 0, planSummary };
}
