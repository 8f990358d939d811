/**
 * Deploys against answers the real Fly gives and a too-kind simulator did not: a new app that
 * answers 404 for a moment, a create whose answer is lost, exit events without `exit_code`, a
 * `wait` for destroyed answering 404, `autostop` and durations echoed in Fly's own spelling.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DesiredApp } from "../../../../src/config/desired-app";
import { createDeployRun } from "../../../../src/fly/exec/deploy-run";
import { newJournal } from "../../../../src/fly/exec/journal";
import { runToCompletion } from "../../../../src/fly/exec/run-to-completion";
import { readLiveApp } from "../../../../src/fly/live/read-live-app";
import { planDeploy } from "../../../../src/fly/plan/plan-deploy";
import type { FlySim } from "../../../fly-sim/sim";
import { shopApp, webConfig } from "../fixture-app";
import { clientFor, deploy, startSim } from "./sim-harness";

let sim: FlySim;
beforeAll(async () => {
  sim = await startSim();
});
afterAll(() => sim.close());

const nameOf = (body: unknown) => (body as { name?: string } | undefined)?.name;

/** One web machine, no volumes: quick to deploy. */
function small(name: string, over: Partial<DesiredApp> = {}): DesiredApp {
  const app = shopApp({ name, ...over });
  return { ...app, groups: app.groups.filter((g) => g.processGroup === "web" && g.region === "iad"), volumes: [] };
}

describe("a first deploy against Fly's answers", () => {
  it("survives a new app that answers 404 for a second (POST /apps?wait=true, then waits as WaitForApp)", async () => {
    const app = "fresh-app";
    sim.setTimings({ appReadyMs: 1000 });
    const r = await deploy(clientFor(sim), small(app), { release: 1 });
    expect(r.result.status).toBe("succeeded");
    const creates = sim.requests().filter((q) => q.operation === "Apps_create" && nameOf(q.body) === app);
    expect(creates.map((q) => q.path)).toEqual(["/v1/apps?wait=true"]);
    expect(sim.requests(app).filter((q) => q.status === 404 && q.operation !== "Apps_show")).toEqual([]);
  }, 30_000);

  it("survives a lost create answer: the retried create is refused as taken, and the app is found as its own", async () => {
    const app = "lost-answer-app";
    sim.faults.addRule({ operation: "Apps_create", after: true, status: 502, times: 1 });
    const r = await deploy(clientFor(sim), small(app), { release: 1 });
    expect(r.result.status).toBe("succeeded");
    const creates = sim.requests().filter((q) => q.operation === "Apps_create" && nameOf(q.body) === app);
    expect(creates.map((q) => q.status)).toEqual([502, 422]);
    expect(sim.state(app).apps[0]?.org_slug).toBe("acme");
  }, 30_000);

  it("stops at once, naming the app, when the name is held by another organisation (403)", async () => {
    const app = "someone-elses-app";
    sim.addForeignApp(app, "other-org");
    const client = clientFor(sim);
    await expect(readLiveApp(client, app)).rejects.toMatchObject({
      code: "fly_app_name_taken",
      message: expect.stringContaining(`"${app}" is held by another Fly organisation`),
    });
    // Planned before the name was taken: the create-app step stalls instead of retrying.
    const plan = planDeploy(small(app), { ...(await readLiveApp(client, "nobody-has-this")), name: app });
    const run = createDeployRun({
      client,
      plan,
      desired: small(app),
      journal: newJournal("r-403", { id: "x", version: 1 }),
    });
    const result = await runToCompletion(run, { sliceMs: 10_000 });
    expect(result.status).toBe("failed");
    expect(result.failure).toMatchObject({ step: "create-app" });
    expect(result.failure?.reason).toContain(`"${app}" is held by another Fly organisation`);
    expect(sim.requests(app).filter((q) => q.operation === "Apps_show").length).toBeLessThanOrEqual(3);
  }, 30_000);
});

describe("broken releases, chosen by image name", () => {
  for (const image of ["registry.fly.io/shop:crash-loop", "registry.fly.io/shop:unhealthy"])
    it(`a rolling deploy of ${image.split(":")[1]} stops at the first machine: its checks never pass`, async () => {
      const app = `broken-${image.split(":")[1]}`;
      const deploy_ = { ...shopApp().deploy, waitTimeoutMs: 1500, releaseCommand: undefined };
      const v1 = shopApp({ name: app, deploy: deploy_, volumes: [] });
      v1.groups = v1.groups.filter((g) => g.processGroup === "web");
      const client = clientFor(sim);
      expect((await deploy(client, v1, { release: 1 })).result.status).toBe("succeeded");
      const v2 = { ...v1, groups: v1.groups.map((g) => ({ ...g, config: { ...g.config, image } })) };
      const r = await deploy(client, v2, { release: 2 });
      expect(r.result.status).toBe("failed");
      expect(r.result.failure?.reason).toMatch(/check \S+ is critical after|the app appears to be crashing/);
      const images = (await client.listMachines(app)).map((m) => m.config?.image);
      expect(images.filter((i) => i === image)).toHaveLength(1);
    }, 30_000);
});

describe("exit events and waits as Fly answers them", () => {
  it("a release command that exits 0 has no exit_code, and its wait for destroyed may answer 404: it succeeded", async () => {
    const app = "release-zero";
    // The wait arrives after the one-off machine is gone: Fly answers 404 (flyctl: destroyed).
    sim.faults.addRule({ operation: "Machines_wait", app, path: "state=destroyed", latencyMs: 1500 });
    const r = await deploy(clientFor(sim), small(app), { release: 1 });
    expect(r.result).toMatchObject({ status: "succeeded" });
    const waits = sim.requests(app).filter((q) => q.operation === "Machines_wait" && q.path.includes("destroyed"));
    expect(waits.map((q) => q.status)).toContain(404);
    const exit = sim.state(app).machines.find((m) => m.name.startsWith("release-command-") && m.state === "destroyed");
    expect(exit?.exit_code).toBe(0);
  }, 30_000);
});

describe("live config in Fly's spelling", () => {
  it("an auto-stopping app with durations spelt otherwise plans nothing on the next look", async () => {
    const app = "sleepy-app";
    const base = small(app);
    const config = webConfig();
    const service = config.services![0]!;
    const checks = [{ ...service.checks![0]!, interval: "60s", timeout: "2s", grace_period: "1m" }];
    const desired = {
      ...base,
      groups: base.groups.map((g) => ({
        ...g,
        config: { ...g.config, services: [{ ...service, autostop: "stop" as const, checks }] },
      })),
    };
    expect((await deploy(clientFor(sim), desired, { release: 1 })).result.status).toBe("succeeded");
    const live = await readLiveApp(clientFor(sim), app);
    const echoed = live.machines[0]?.config?.services?.[0];
    expect(echoed?.autostop as unknown).toBe(true);
    expect(echoed?.checks?.[0]).toMatchObject({ interval: "1m0s", grace_period: "1m0s" });
    expect(planDeploy(desired, live).steps).toEqual([]);
  }, 30_000);
});
