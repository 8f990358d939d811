import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DesiredApp } from "../../../../src/config/desired-app";
import type { FlySim } from "../../../fly-sim/sim";
import { shopApp } from "../fixture-app";
import { clientFor, deploy, machinesByName, mutating, startSim } from "./sim-harness";

let sim: FlySim;
beforeAll(async () => {
  sim = await startSim();
});
afterAll(() => sim.close());

function appFor(strategy: DesiredApp["deploy"]["strategy"], image: string): DesiredApp {
  const name = `shop-${strategy}`;
  const base = shopApp({ name, deploy: { ...shopApp().deploy, strategy } }, image);
  if (strategy !== "bluegreen") return base;
  // Blue-green cannot carry volumes (as with flyctl): web only.
  return { ...base, groups: base.groups.filter((g) => g.processGroup === "web"), volumes: [] };
}

describe.each([
  "rolling",
  "immediate",
  "canary",
  "bluegreen",
] as const)("%s deploy against the simulator", (strategy) => {
  const client = () => clientFor(sim);

  it("creates the app, then redeploys a change, then finds nothing to do", async () => {
    const v1 = appFor(strategy, "registry.fly.io/shop:v1");
    const first = await deploy(client(), v1, { release: 1 });
    expect(first.result).toMatchObject({ status: "succeeded" });
    expect(first.plan.steps[0]?.kind).toBe("create-app");

    let after1 = await machinesByName(client(), v1.name);
    if (strategy === "immediate") {
      // Immediate does not wait for machines to start; the test does.
      for (const m of after1.values()) await client().waitMachine(v1.name, m.id, { state: "started", timeout: 10 });
      after1 = await machinesByName(client(), v1.name);
    }
    const managed = [...after1.values()].filter((m) => m.config?.metadata?.fly_process_group);
    expect(managed).toHaveLength(v1.groups.reduce((n, g) => n + g.count, 0));
    for (const m of managed) {
      expect(m.state).toBe("started");
      expect(m.config?.metadata).toMatchObject({
        fly_platform_version: "v2",
        fly_release_version: "1",
        fly_release_id: `rel-${v1.name}-1`,
      });
    }
    const secrets = await client().listSecrets(v1.name);
    expect(secrets.map((s) => s.name).sort()).toEqual(["API_KEY", "DATABASE_URL"]);
    expect((await client().listIps(v1.name)).length).toBe(2);
    const volumes = await client().listVolumes(v1.name);
    expect(volumes.filter((v) => v.attached_machine_id).length).toBe(v1.volumes.length);

    const v2 = appFor(strategy, "registry.fly.io/shop:v2");
    const second = await deploy(client(), v2, { release: 2 });
    expect(second.result).toMatchObject({ status: "succeeded" });
    const after2 = [...(await machinesByName(client(), v2.name)).values()].filter(
      (m) => m.config?.metadata?.fly_process_group,
    );
    expect(after2).toHaveLength(managed.length);
    for (const m of after2) expect(m.config?.image).toBe("registry.fly.io/shop:v2");
    if (strategy === "bluegreen") {
      // All new machines; the blue ones are gone.
      for (const m of after2) expect(after1.has(m.name!)).toBe(false);
    } else {
      // Updated in place: same machines, same volumes.
      expect(after2.map((m) => m.id).sort()).toEqual(managed.map((m) => m.id).sort());
      expect((await client().listVolumes(v2.name)).map((v) => v.id).sort()).toEqual(volumes.map((v) => v.id).sort());
    }

    const before = sim.requests(v2.name).length;
    const third = await deploy(client(), v2, { release: 3 });
    expect(third.plan.steps).toEqual([]);
    expect(third.result.status).toBe("succeeded");
    expect(mutating(sim, v2.name, before)).toEqual([]);

    expect(sim.leaseOverlaps(v2.name)).toBe(0);
    expect(sim.doubleMounts(v2.name)).toBe(0);
  }, 60_000);
});
