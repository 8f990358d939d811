/** Deploys against the Fly simulator started in-process: plan from what it runs, then execute. */
import type { DesiredApp } from "../../../../src/config/desired-app";
import { createFlyClient, type FlyClient } from "../../../../src/fly/client/fly-client";
import { createDeployRun, type DeployRunOptions } from "../../../../src/fly/exec/deploy-run";
import { newJournal } from "../../../../src/fly/exec/journal";
import { runToCompletion } from "../../../../src/fly/exec/run-to-completion";
import { readLiveApp } from "../../../../src/fly/live/read-live-app";
import { planDeploy } from "../../../../src/fly/plan/plan-deploy";
import { type FlySim, startFlySim } from "../../../fly-sim/sim";

/** Fly's limits relaxed 20×, and the client paced to match (as in production at 1×). */
export async function startSim(): Promise<FlySim> {
  return startFlySim({
    rateLimit: { scale: 20 },
    seed: 7,
    // FLY_SIM_RECORD=/tmp/fly.jsonl keeps every request for `check-fly-requests.mjs`.
    ...(process.env.FLY_SIM_RECORD ? { record: process.env.FLY_SIM_RECORD, truncateRecord: false } : {}),
  });
}

export function clientFor(sim: FlySim, token = "fm2_test-token"): FlyClient {
  return createFlyClient({
    baseUrl: sim.url,
    token,
    pace: { action: { perSecond: 20, burst: 20 }, machineRead: { perSecond: 100, burst: 200 } },
    retry: { attempts: 6, baseMs: 20, maxMs: 400 },
  });
}

/**
 * Gate windows for deploys here: a machine without checks is watched 1 s for a crash loop, blue
 * machines drain 0.3 s (as SMOKE_WINDOW_MS and BLUEGREEN_DRAIN_MS in vitest.config.ts). Production
 * waits flyctl's 10 s each (src/fly/exec/deploy-run.ts); waiting that out per batch only idled
 * these tests. The simulator's crash loop (crashMs 100 ms a run) is one by its third exit, about
 * 0.5 s in; deploy-gates.test.ts checks a crash loop still fails the smoke gate.
 */
export const GATE_WINDOWS = { smokeMs: 1000, drainMs: 300 } as const;

let runs = 0;

export async function deploy(
  client: FlyClient,
  desired: DesiredApp,
  opts: { release?: number; extra?: Partial<DeployRunOptions> } = {},
) {
  const live = await readLiveApp(client, desired.name);
  const plan = planDeploy(desired, live);
  const release = opts.release ?? 1;
  const journal = newJournal(`run${++runs}`, { id: `rel-${desired.name}-${release}`, version: release });
  const run = createDeployRun({ client, plan, desired, journal, pollMs: 40, ...GATE_WINDOWS, ...opts.extra });
  const result = await runToCompletion(run, { sliceMs: 30_000 });
  return { plan, result, journal };
}

/** Machines of `app` that are alive, by name. */
export async function machinesByName(client: FlyClient, app: string) {
  const list = (await client.listMachines(app)).filter((m) => m.state !== "destroyed" && m.state !== "destroying");
  return new Map(list.map((m) => [m.name ?? m.id, m]));
}

/** Requests that change something on Fly. */
export function mutating(sim: FlySim, app: string, since = 0) {
  return sim
    .requests(app)
    .slice(since)
    .filter((r) => r.method !== "GET");
}
