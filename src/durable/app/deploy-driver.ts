/**
 * One bounded slice of deploy work, run from the AppDO's alarm. Every decision goes through the
 * log (AppLog.execute); the only state outside it is the executor journal and the resolved app,
 * kept in state rows written in the same synchronous block as the events that refer to them. After
 * an eviction the next slice reads where the log says the deploy is and carries on.
 */
import type { ResolvedApp } from "../../config/resolved-app";
import { isForeignAppError } from "../../fly";
import type { DeployStep } from "../contract";
import { readRow, secretsKey, writeRow } from "./app-rows";
import { type ImageOutcome, resolveDeployImage } from "./build-driver";
import type { AppCommand } from "./commands";
import type { DeployInput } from "./deploy-engine";
import { newDeployId } from "./deploy-id";
import type { DriverContext } from "./driver-context";
import { keepRelease, keptRelease, keptReleases } from "./kept-releases";
import { managedSecrets, rememberSecrets } from "./managed-secrets";
import { pruneVerdict } from "./ownership";
import { checkOwnership } from "./ownership-gate";
import { resolveSecrets } from "./resolve-secrets";
import { type DeployRecord, findDeploy } from "./state";

/** Delay before the next slice after an error no step classified (its own backoff does not apply). */
const RETRY_MS = 5_000;

/** Runs one slice; returns the delay until the next alarm, or null when there is nothing to do. */
export async function runSlice(ctx: DriverContext): Promise<number | null> {
  const { log } = ctx;
  const started = log.execute({ type: "tick", at: iso(ctx.now()), timeoutMs: ctx.timeoutMs });
  for (const event of started.events)
    if (event.type === "deploy.started") {
      // A restore or rollback deploys a kept release's config, not the newest desired one.
      const from = findDeploy(log.state, event.data.deployId)?.from;
      const app = from ? keptRelease(log.store, from.deployId) : readRow(log.store, "desired-app");
      writeRow(log.store, "deploy-app", { deployId: event.data.deployId, app });
    }
  if (started.events.some((event) => event.type === "deploy.failed")) return 0;

  const running = findDeploy(log.state, log.state.running);
  if (running) return advanceDeploy(ctx, running);
  if (log.state.destroy === "requested" && log.state.name && ctx.engine) {
    // Only an app whose log says Tower created it is deleted; adopted ones are left alone.
    const verdict = pruneVerdict(log.state);
    const result = verdict.ours
      ? await ctx.engine.destroyApp(log.state.name)
      : { destroyed: false, reason: verdict.reason };
    log.execute({ type: "record-destroy", at: iso(ctx.now()), ...result });
  }
  return log.state.queued !== null && log.state.destroy === null ? 0 : null;
}

async function advanceDeploy(ctx: DriverContext, deploy: DeployRecord): Promise<number | null> {
  const { log } = ctx;
  const fail = (step: string, message: string) => {
    record(ctx, deploy.id, step, "stalled", ctx.now(), message);
    return 0; // The next queued deploy may start at once.
  };
  const stored = readRow(log.store, "deploy-app");
  if (stored?.deployId !== deploy.id || !stored.app) return fail("start", "the app's resolved config is missing");
  const app = stored.app;

  let image = deploy.image ?? deploy.from?.image ?? null;
  if (deploy.image === null) {
    try {
      const refused = await checkOwnership(ctx, deploy, app);
      if (refused) return fail("adopt", refused);
    } catch (error) {
      if (isForeignAppError(error)) return fail("adopt", error.message);
      record(ctx, deploy.id, "adopt", "retry", ctx.now(), error instanceof Error ? error.message : String(error));
      return RETRY_MS;
    }
  }
  if (image === null) {
    let resolution: ImageOutcome;
    try {
      resolution = await resolveDeployImage(ctx, ctx.builds ?? null, deploy, app);
    } catch (error) {
      if (isForeignAppError(error)) return fail("build", error.message);
      // Fly and registry errors pass with time; the build's own limit ends a build that never does.
      record(ctx, deploy.id, "build", "retry", ctx.now(), error instanceof Error ? error.message : String(error));
      return RETRY_MS;
    }
    if ("failed" in resolution) return 0;
    if ("waitMs" in resolution) return resolution.waitMs;
    if ("reason" in resolution) return fail("resolve-image", resolution.reason);
    image = resolution.image;
  }
  // A step that asked Fly's patience (Retry-After, backoff) is not retried early, even when a new
  // desired state or a hand-run alarm wakes the DO before the alarm it set.
  const held = readRow(log.store, "journal");
  if (deploy.image !== null && held?.deployId === deploy.id && held.notBefore && held.notBefore > ctx.now())
    return held.notBefore - ctx.now();
  const secrets = resolveSecrets(app.secrets, ctx.env);
  if ("reason" in secrets) return fail("resolve-secrets", secrets.reason);

  if (!ctx.engine) return fail("start", "FLY_API_TOKEN is not set: Tower cannot reach Fly");
  const begun = ctx.now();
  const input: DeployInput = {
    app,
    image,
    secrets: secrets.values,
    secretsKey: secretsKey(log.store),
    releaseId: deploy.id,
    releaseVersion: deploy.release,
    deadline: begun + ctx.sliceMs,
    redeploy: deploy.redeploy,
    managedSecrets: managedSecrets(log.store),
  };
  const name = deploy.image === null ? "plan" : "execute";
  try {
    if (deploy.image === null) {
      const planned = await ctx.engine.plan(input);
      writeRow(log.store, "journal", { deployId: deploy.id, journal: planned.journal });
      record(ctx, deploy.id, "plan", "done", begun);
      log.execute({
        type: "record-plan",
        at: iso(ctx.now()),
        deployId: deploy.id,
        image,
        planSummary: planned.planSummary,
      });
      return 0;
    }
    if (held?.deployId !== deploy.id) return fail("execute", "the deploy's journal is missing");
    const advanced = await ctx.engine.advance(held.journal, input);
    const notBefore = advanced.delayMs > 0 ? ctx.now() + advanced.delayMs : undefined;
    writeRow(log.store, "journal", {
      deployId: deploy.id,
      journal: advanced.journal,
      ...(notBefore ? { notBefore } : {}),
    });
    rememberSecrets(log.store, Object.keys(secrets.values), {
      setDone: advanced.outcomes.some((o) => o.name === "set-secrets" && o.outcome === "done"),
      finished: advanced.finished,
    });
    for (const outcome of advanced.outcomes) log.execute(stepCommand(ctx, deploy.id, outcome, app));
    if (advanced.finished) {
      log.execute({ type: "succeed", at: iso(ctx.now()), deployId: deploy.id });
      keepRelease(log.store, deploy.id, app);
    }
    return advanced.delayMs;
  } catch (error) {
    // A name that is someone else's never becomes ours: stop now, naming the app and the reason.
    if (isForeignAppError(error)) return fail(name, error.message);
    // Fly errors are transient until the deploy's timeout says otherwise; messages carry no secrets.
    record(ctx, deploy.id, name, "retry", begun, error instanceof Error ? error.message : String(error));
    return RETRY_MS;
  }
}

function record(
  ctx: DriverContext,
  deployId: string,
  name: string,
  outcome: DeployStep["outcome"],
  begun: number,
  message?: string,
) {
  const step: DeployStep = {
    name,
    outcome,
    startedAt: iso(begun),
    finishedAt: iso(ctx.now()),
    ...(message ? { message } : {}),
  };
  ctx.log.execute(stepCommand(ctx, deployId, step));
}

/** A gate's stall carries what a restore needs: whether the app wants one, its id, the kept releases. */
function stepCommand(ctx: DriverContext, deployId: string, step: DeployStep, app?: ResolvedApp): AppCommand {
  const at = iso(ctx.now());
  if (!step.gate || !app) return { type: "record-step", at, deployId, step };
  const restore = { enabled: autoRestore(app), deployId: newDeployId(), kept: keptReleases(ctx.log.store) };
  return { type: "record-step", at, deployId, step, restore };
}

/** `deploy.auto_restore` (Tower only; default true): false leaves a failed release as it stopped. */
function autoRestore(app: ResolvedApp): boolean {
  const deploy = app.config.deploy as { auto_restore?: unknown } | undefined;
  return deploy?.auto_restore !== false;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
