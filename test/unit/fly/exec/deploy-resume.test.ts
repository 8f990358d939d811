import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DesiredApp } from "../../../../src/config/desired-app";
import type { FlyClient } from "../../../../src/fly/client/fly-client";
import { createDeployRun } from "../../../../src/fly/exec/deploy-run";
import { type DeployJournal, newJournal } from "../../../../src/fly/exec/journal";
import { runToCompletion } from "../../../../src/fly/exec/run-to-completion";
import { readLiveApp } from "../../../../src/fly/live/read-live-app";
import { planDeploy } from "../../../../src/fly/plan/plan-deploy";
import type { FlySim } from "../../../fly-sim/sim";
import { shopApp } from "../fixture-app";
import { clientFor, deploy, GATE_WINDOWS, startSim } from "./sim-harness";

let sim: FlySim;
beforeAll(async () => {
  sim = await startSim();
});
afterAll(() => sim.close());

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v));

/**
 * Advances in short slices (as alarms would) until `crashAt` steps are done, then loses the work
 * of the last slice (the journal written before it is all that survives), rebuilds the run from
 * that JSON and finishes it.
 */
async function deployWithCrash(client: FlyClient, desired: DesiredApp, release: number, crashAt: number) {
  const plan = clone(planDeploy(desired, await readLiveApp(client, desired.name)));
  let saved: DeployJournal = newJournal(`crash${release}`, { id: `rel-${release}`, version: release });
  const first = createDeployRun({ client, plan, desired, journal: clone(saved), pollMs: 30, ...GATE_WINDOWS });
  let slices = 0;
  for (;;) {
    const before = clone(first.journal);
    await first.advance({ deadline: Date.now() + 1200 });
    slices++;
    if (slices > 300) throw new Error("the deploy makes no progress");
    const done = Object.values(first.journal.steps).filter((s) => s.status === "done").length;
    if (done >= crashAt || first.journal.status !== "running") {
      saved = before; // evicted before this slice's journal was written
      break;
    }
    saved = clone(first.journal);
  }
  const second = createDeployRun({
    client,
    plan: clone(plan),
    desired,
    journal: clone(saved),
    pollMs: 30,
    ...GATE_WINDOWS,
  });
  const result = await runToCompletion(second, { sliceMs: 1200 });
  return { plan, result, slices };
}

function appMachines(machines: Awaited<ReturnType<FlyClient["listMachines"]>>) {
  return machines.filter(
    (m) =>
      m.state !== "destroyed" &&
      m.config?.metadata?.fly_process_group &&
      m.config.metadata.fly_process_group !== "fly_app_release_command",
  );
}

describe("a deploy resumed from its journal after an eviction", () => {
  it("finishes a first deploy without duplicates", async () => {
    const client = clientFor(sim);
    const app = "shop-resume";
    const { result, slices } = await deployWithCrash(client, shopApp({ name: app }), 1, 8);
    expect(result.status).toBe("succeeded");
    expect(slices).toBeGreaterThan(1);
    const names = appMachines(await client.listMachines(app)).map((m) => m.name);
    expect(names.sort()).toEqual(["web-ams-1", "web-ams-2", "web-iad-1", "web-iad-2", "worker-ams-1", "worker-iad-1"]);
    expect((await client.listVolumes(app)).length).toBe(2);
    expect((await client.listIps(app)).length).toBe(2);
    const releaseMachines = (await client.listMachines(app, { include_deleted: true })).filter((m) =>
      m.name?.startsWith("release-command-"),
    );
    expect(releaseMachines).toHaveLength(1);
    expect(sim.doubleMounts(app)).toBe(0);
    expect(sim.leaseOverlaps(app)).toBe(0);
  }, 60_000);

  it("finishes a rolling update whose lease nonce was lost, without a second lease holder", async () => {
    const client = clientFor(sim);
    const app = "shop-resume2";
    expect((await deploy(client, shopApp({ name: app }), { release: 1 })).result.status).toBe("succeeded");
    const ids = appMachines(await client.listMachines(app))
      .map((m) => m.id)
      .sort();
    const v2 = shopApp(
      { name: app, deploy: { ...shopApp().deploy, releaseCommand: undefined } },
      "registry.fly.io/shop:v2",
    );
    const { result } = await deployWithCrash(client, v2, 2, 2);
    expect(result.status).toBe("succeeded");
    const after = appMachines(await client.listMachines(app));
    expect(after.map((m) => m.id).sort()).toEqual(ids);
    for (const m of after) expect(m.config?.image).toBe("registry.fly.io/shop:v2");
    expect(sim.leaseOverlaps(app)).toBe(0);
    expect(sim.doubleMounts(app)).toBe(0);
    const again = planDeploy(v2, await readLiveApp(client, app));
    expect(again.steps).toEqual([]);
  }, 60_000);
});
