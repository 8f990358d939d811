import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FlySim } from "../../../fly-sim/sim";
import { shopApp } from "../fixture-app";
import { clientFor, deploy, machinesByName, startSim } from "./sim-harness";

let sim: FlySim;
beforeAll(async () => {
  sim = await startSim();
});
afterAll(() => sim.close());

const images = async (app: string) =>
  Object.fromEntries([...(await machinesByName(clientFor(sim), app))].map(([name, m]) => [name, m.config?.image]));

describe("deploys when Fly misbehaves", () => {
  it("converges with 20% of calls answered 5xx or 429", async () => {
    const client = clientFor(sim);
    const app = "shop-flaky";
    sim.faults.set({ errorRate: 0.1, rate429: 0.1 }, app);
    const v1 = await deploy(client, shopApp({ name: app }), { release: 1 });
    expect(v1.result.status).toBe("succeeded");
    const v2 = await deploy(client, shopApp({ name: app, configHash: "h2" }, "registry.fly.io/shop:v2"), {
      release: 2,
    });
    expect(v2.result.status).toBe("succeeded");
    sim.faults.clear(app);
    const now = await images(app);
    expect(Object.keys(now).filter((n) => n.startsWith("web") || n.startsWith("worker"))).toHaveLength(6);
    expect(new Set(Object.values(now))).toEqual(new Set(["registry.fly.io/shop:v2"]));
    expect((await client.listVolumes(app)).length).toBe(2);
    expect((await client.listIps(app)).length).toBe(2);
    const again = await deploy(client, shopApp({ name: app, configHash: "h2" }, "registry.fly.io/shop:v2"), {
      release: 3,
    });
    expect(again.plan.steps).toEqual([]);
    expect(sim.leaseOverlaps(app)).toBe(0);
    expect(sim.doubleMounts(app)).toBe(0);
  }, 60_000);

  it("makes nothing twice when Fly does a create but the answer is lost", async () => {
    const client = clientFor(sim);
    const app = "shop-lost";
    sim.faults.addRule({ operation: "Machines_create", app, after: true, times: 3, status: 502 });
    sim.faults.addRule({ operation: "Volumes_create", app, after: true, times: 1, status: 502 });
    sim.faults.addRule({ operation: "App_IPAssignments_create", app, after: true, times: 1, status: 502 });
    const r = await deploy(client, shopApp({ name: app }), { release: 1 });
    expect(r.result.status).toBe("succeeded");
    const machines = await client.listMachines(app);
    const live = machines.filter(
      (m) => m.state !== "destroyed" && m.config?.metadata?.fly_process_group !== "fly_app_release_command",
    );
    expect(live.map((m) => m.name).sort()).toEqual([
      "web-ams-1",
      "web-ams-2",
      "web-iad-1",
      "web-iad-2",
      "worker-ams-1",
      "worker-iad-1",
    ]);
    expect((await client.listVolumes(app)).length).toBe(2);
    expect((await client.listIps(app)).length).toBe(2);
    expect(sim.doubleMounts(app)).toBe(0);
  }, 60_000);

  it("stops on a persistent failure, naming the step; untouched machines keep the old config", async () => {
    const client = clientFor(sim);
    const app = "shop-broken";
    expect((await deploy(client, shopApp({ name: app }), { release: 1 })).result.status).toBe("succeeded");
    const before = await images(app);
    sim.faults.addRule({ operation: "Machines_update", app, status: 500 });
    const r = await deploy(client, shopApp({ name: app }, "registry.fly.io/shop:v2"), {
      release: 2,
      extra: { maxRetries: 1 },
    });
    sim.faults.clear(app);
    expect(r.result.status).toBe("failed");
    expect(r.result.failure?.step).toBe("machines-1");
    expect(r.result.failure?.reason).toMatch(
      /^step machines-1 \(update web-ams-1, update worker-ams-1\): Fly API POST \/apps\/shop-broken\/machines\/\S+ answered 500/,
    );
    expect(await images(app)).toEqual(before);
    // The failed step let its lease go.
    for (const m of (await machinesByName(client, app)).values()) expect(await client.showLease(app, m.id)).toBeNull();
    expect(sim.leaseOverlaps(app)).toBe(0);
  }, 60_000);

  it("stops before any machine changes when the release command exits non-zero", async () => {
    const client = clientFor(sim);
    const app = "shop-migrate";
    expect((await deploy(client, shopApp({ name: app }), { release: 1 })).result.status).toBe("succeeded");
    const before = await images(app);
    sim.addExitRule({ app, command: "migrate", exitCode: 3 });
    const r = await deploy(client, shopApp({ name: app }, "registry.fly.io/shop:v2"), { release: 2 });
    expect(r.result.status).toBe("failed");
    expect(r.result.failure).toEqual({
      step: "release-command",
      reason: "step release-command (release-command): release command `npm run migrate` exited with code 3",
    });
    const after = await images(app);
    expect(after).toEqual(before);
    const oneOff = (await client.listMachines(app, { include_deleted: true })).find((m) =>
      m.name?.startsWith("release-command-"),
    );
    expect(oneOff?.config).toMatchObject({
      auto_destroy: true,
      restart: { policy: "no" },
      env: { RELEASE_COMMAND: "1" },
      init: { cmd: ["npm", "run", "migrate"] },
    });
  }, 60_000);

  it("stalls when checks never pass within wait_timeout", async () => {
    const client = clientFor(sim);
    const app = "shop-sick";
    const desired = shopApp({
      name: app,
      deploy: { ...shopApp().deploy, waitTimeoutMs: 1500, releaseCommand: undefined },
    });
    expect((await deploy(client, desired, { release: 1 })).result.status).toBe("succeeded");
    sim.failChecks({ app, image: "shop:v2" });
    const v2 = shopApp({ name: app, deploy: desired.deploy }, "registry.fly.io/shop:v2");
    const r = await deploy(client, v2, { release: 2 });
    expect(r.result.failure?.step).toBe("machines-1");
    expect(r.result.failure?.reason).toMatch(/timed out after 2s waiting for the checks of machine/);
    const now = await images(app);
    // Only the first batch was touched: the first machine of each process group.
    expect(Object.values(now).filter((i) => i === "registry.fly.io/shop:v2")).toHaveLength(2);
  }, 60_000);
});

describe("leases through long waits", () => {
  it("keeps each lease alive while checks take longer than its ttl, and releases it alive", async () => {
    const client = clientFor(sim);
    const app = "shop-slow";
    const desired = shopApp({ name: app, deploy: { ...shopApp().deploy, releaseCommand: undefined } });
    desired.groups = desired.groups.filter((g) => g.processGroup === "web" && g.region === "iad");
    desired.volumes = [];
    expect((await deploy(client, desired, { release: 1 })).result.status).toBe("succeeded");
    sim.setTimings({ checksPassMs: 2500 });
    try {
      const v2 = {
        ...desired,
        groups: desired.groups.map((g) => ({ ...g, config: { ...g.config, image: "registry.fly.io/shop:v2" } })),
      };
      const r = await deploy(client, v2, { release: 2, extra: { leaseTtlS: 2 } });
      expect(r.result.status).toBe("succeeded");
    } finally {
      sim.setTimings({ checksPassMs: 150 });
    }
    const renewals = sim.requests(app).filter((q) => q.operation === "Machines_create_lease").length;
    expect(renewals).toBeGreaterThan(2);
    expect(sim.counters(app).leaseExpiries).toBe(0);
    expect(sim.leaseOverlaps(app)).toBe(0);
  }, 60_000);
});
