/** The DeployEngine over src/fly: Tower's Machines API client, planner and resumable executor. */
import { toDesiredApp } from "../../config/to-desired-app";
import type { TowerEnv } from "../../env";
import {
  createDeployRun,
  createFlyClient,
  type DeployJournal,
  delayAfter,
  type FlyClient,
  inOrg,
  newJournal,
  type Plan,
  planDeploy,
  readLiveApp,
  type StepOutcome,
} from "../../fly";
import type { DeployStep } from "../contract";
import type { DeployEngine, DeployInput } from "./deploy-engine";
import { summarisePlan } from "./plan-summary";

/** What the driver stores between slices: the plan (no secret values) and the executor's journal. */
interface EngineJournal {
  plan: Plan;
  run: DeployJournal;
}

/** Longest the client sleeps inside one call before handing a transient error to the step. */
const IN_CALL_SLEEP_MS = 2_000;

/** Null when no Fly token is set: a deploy then fails naming the setting. */
export function createFlyEngine(
  env: Pick<TowerEnv, "FLY_API_TOKEN" | "FLY_API_BASE" | "SMOKE_WINDOW_MS" | "BLUEGREEN_DRAIN_MS">,
  options: EngineOptions = {},
): DeployEngine | null {
  if (!env.FLY_API_TOKEN) return null;
  // A wait Fly asks for beyond IN_CALL_SLEEP_MS is spent between alarms, not inside one.
  const client = createFlyClient({
    baseUrl: env.FLY_API_BASE,
    token: env.FLY_API_TOKEN,
    retry: { maxSleepMs: IN_CALL_SLEEP_MS },
  });
  const ms = (v: string | undefined) => (v && Number.isFinite(Number(v)) && Number(v) >= 0 ? Number(v) : undefined);
  const smokeMs = options.smokeMs ?? ms(env.SMOKE_WINDOW_MS);
  const drainMs = options.drainMs ?? ms(env.BLUEGREEN_DRAIN_MS);
  return flyEngine(client, {
    ...options,
    ...(smokeMs !== undefined ? { smokeMs } : {}),
    ...(drainMs !== undefined ? { drainMs } : {}),
  });
}

interface EngineOptions {
  pollMs?: number;
  smokeMs?: number;
  drainMs?: number;
}

export function flyEngine(client: FlyClient, options: EngineOptions = {}): DeployEngine {
  return {
    async plan(input) {
      const live = await readLiveApp(client, input.app.name);
      const plan = planDeploy(desiredOf(input), live, {
        force: input.redeploy ?? false,
        managedSecrets: input.managedSecrets ?? [],
      });
      const run = newJournal(input.releaseId, { id: input.releaseId, version: input.releaseVersion });
      return { journal: { plan, run } satisfies EngineJournal, planSummary: summarisePlan(plan) };
    },

    async advance(journal, input) {
      const { plan, run } = journal as EngineJournal;
      const deploy = createDeployRun({
        client,
        plan,
        desired: desiredOf(input),
        journal: structuredClone(run),
        ...(options.pollMs ? { pollMs: options.pollMs } : {}),
        ...(options.smokeMs !== undefined ? { smokeMs: options.smokeMs } : {}),
        ...(options.drainMs !== undefined ? { drainMs: options.drainMs } : {}),
      });
      const outcomes = await deploy.advance({ deadline: input.deadline });
      return {
        journal: { plan, run: deploy.journal } satisfies EngineJournal,
        outcomes: outcomes.map((outcome) => toStep(outcome, deploy.journal)),
        finished: deploy.journal.status === "succeeded",
        delayMs: delayAfter(outcomes),
      };
    },

    async findApp(name, org) {
      const app = await client.getApp(name);
      return app !== null && inOrg(app, name, org);
    },

    createApp(name, org) {
      return client.createApp({ name, org_slug: org });
    },

    async destroyApp(name) {
      if (!(await client.getApp(name))) return { destroyed: false, reason: "the app does not exist on Fly" };
      await client.deleteApp(name);
      return { destroyed: true, reason: "Tower created it" };
    },
  };
}

function desiredOf(input: DeployInput) {
  return toDesiredApp(input.app, {
    image: input.image,
    secretValues: input.secrets,
    releaseId: input.releaseId,
    releaseVersion: input.releaseVersion,
    secretsKey: input.secretsKey,
  });
}

function toStep(outcome: StepOutcome, journal: DeployJournal): DeployStep {
  const record = journal.steps[outcome.step];
  const startedAt = new Date(record?.startedAt ?? Date.now()).toISOString();
  const finishedAt = record?.finishedAt ? new Date(record.finishedAt).toISOString() : null;
  const step: DeployStep = { name: outcome.step, outcome: outcome.outcome, startedAt, finishedAt };
  if (outcome.outcome === "done") return step;
  return {
    ...step,
    message: outcome.reason,
    ...("afterMs" in outcome && outcome.afterMs > 0 ? { afterMs: outcome.afterMs } : {}),
    ...(outcome.outcome === "stalled" && outcome.gate ? { gate: outcome.gate } : {}),
  };
}
