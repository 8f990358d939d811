/** Deploying as flyctl deploys, against the simulator: sleeping machines stay asleep; volume fields. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FlySim } from "../../../fly-sim/sim";
import { shopApp } from "../fixture-app";
import { clientFor, deploy, machinesByName, startSim } from "./sim-harness";

let sim: FlySim;
beforeAll(async () => {
  sim = await startSim();
});
afterAll(() => sim.close());

describe("flyctl's deploy behaviour", () => {
  it("updates a stopped machine with skip_launch and does not wait for it (flyctl shouldSkipLaunch)", async () => {
    const client = clientFor(sim);
    const app = "shop-asleep";
    expect((await deploy(client, shopApp({ name: app }), { release: 1 })).result.status).toBe("succeeded");
    const asleep = (await machinesByName(client, app)).get("web-ams-2")!;
    await client.stopMachine(app, asleep.id);
    for (let i = 0; i < 100 && (await client.getMachine(app, asleep.id))?.state !== "stopped"; i++)
      await new Promise((r) => setTimeout(r, 20));
    const since = sim.requests(app).length;
    const r = await deploy(client, shopApp({ name: app }, "registry.fly.io/shop:v2"), { release: 2 });
    expect(r.result.status).toBe("succeeded");
    const updates = sim
      .requests(app)
      .slice(since)
      .filter((q) => q.operation === "Machines_update");
    const skip = (id: string) =>
      updates.filter((q) => q.path.includes(id)).map((q) => (q.body as { skip_launch?: boolean }).skip_launch);
    expect(skip(asleep.id)).toEqual([true]);
    expect(
      updates.filter((q) => !q.path.includes(asleep.id)).every((q) => !("skip_launch" in (q.body as object))),
    ).toBe(true);
    const after = await client.getMachine(app, asleep.id);
    expect(after?.state).toBe("stopped");
    expect(after?.config?.image).toBe("registry.fly.io/shop:v2");
  }, 60_000);

  it("creates volumes with compute, encrypted, snapshot_retention and auto_backup_enabled", async () => {
    const client = clientFor(sim);
    const app = "shop-volumes";
    const compute = { cpu_kind: "shared" as const, cpus: 1, memory_mb: 512 };
    const desired = shopApp({
      name: app,
      volumes: ["iad", "ams"].map((region) => ({
        name: "data",
        region,
        sizeGb: 3,
        count: 1,
        encrypted: true,
        compute,
        snapshotRetention: 7,
        autoBackupEnabled: true,
      })),
    });
    expect((await deploy(client, desired, { release: 1 })).result.status).toBe("succeeded");
    const creates = sim.requests(app).filter((q) => q.operation === "Volumes_create");
    expect(creates.map((q) => q.body)).toEqual(
      ["ams", "iad"].map((region) => ({
        name: "data",
        region,
        size_gb: 3,
        encrypted: true,
        compute,
        snapshot_retention: 7,
        auto_backup_enabled: true,
      })),
    );
  }, 60_000);

  it("runs machine_checks against each updated machine and stops on a failing one (flyctl runTestMachines)", async () => {
    const client = clientFor(sim);
    const app = "shop-checked";
    const withChecks = (image?: string) => {
      const d = shopApp({ name: app, deploy: { ...shopApp().deploy, releaseCommand: undefined } }, image);
      d.groups = d.groups.map((g) =>
        g.processGroup === "web"
          ? { ...g, machineChecks: [{ command: ["smoke-test", "--fast"], env: { A: "1" } }] }
          : g,
      );
      return d;
    };
    expect((await deploy(client, withChecks(), { release: 1 })).result.status).toBe("succeeded");
    const tests = (await client.listMachines(app, { include_deleted: true })).filter((m) =>
      m.name?.startsWith("machine-check-"),
    );
    // One per web machine (4), none for worker machines; each a one-off test machine.
    expect(tests).toHaveLength(4);
    expect(tests[0]!.config).toMatchObject({
      image: "registry.fly.io/shop:v1",
      init: { cmd: ["smoke-test", "--fast"] },
      env: { A: "1", FLY_TEST_COMMAND: "1", FLY_PROCESS_GROUP: "fly_app_test_machine_command" },
      auto_destroy: true,
      restart: { policy: "no" },
      dns: { skip_registration: true },
    });
    sim.addExitRule({ app, command: "smoke-test", exitCode: 4 });
    const r = await deploy(client, withChecks("registry.fly.io/shop:v2"), { release: 2 });
    expect(r.result.status).toBe("failed");
    expect(r.result.failure?.step).toBe("machines-1");
    expect(r.result.failure?.reason).toMatch(
      /machine check `smoke-test --fast` against machine \S+ exited with code 4/,
    );
  }, 60_000);
});
