import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitForApp } from "../../../../src/fly/client/app-ready";
import type { FlySim } from "../../../fly-sim/sim";
import { clientFor, startSim } from "../exec/sim-harness";

let sim: FlySim;
beforeAll(async () => {
  sim = await startSim();
});
afterAll(() => sim.close());

/** Every client call the executor does not already exercise, against the strict simulator. */
describe("Fly client against the simulator", () => {
  it("drives apps, machines, leases, metadata, volumes, secrets, IPs and certificates", async () => {
    const fly = clientFor(sim);
    const app = "client-calls";
    expect(await fly.getApp(app)).toBeNull();
    expect(await fly.createApp({ name: app, org_slug: "acme" })).toBe("created");
    // A new app answers 404 for a moment (fly-go WaitForApp).
    expect(await fly.getApp(app)).toBeNull();
    expect(await waitForApp(fly, app, "acme", { until: Date.now() + 10_000 })).toMatchObject({ name: app });

    const m = await fly.createMachine(app, {
      name: "one",
      region: "iad",
      config: { image: "nginx:1", guest: { cpu_kind: "shared", cpus: 1, memory_mb: 256 } },
    });
    expect((await fly.waitMachine(app, m.id, { state: "started", timeout: 10 })).ok).toBe(true);
    const lease = await fly.acquireLease(app, m.id, { ttl: 30, description: "test" });
    expect(lease.nonce).toBeTruthy();
    await expect(fly.acquireLease(app, m.id, { ttl: 30 })).rejects.toMatchObject({
      code: "fly_conflict",
      data: { status: 409 },
    });
    expect((await fly.acquireLease(app, m.id, { ttl: 30 }, lease.nonce)).nonce).toBe(lease.nonce);
    expect((await fly.showLease(app, m.id))?.description).toBe("test");
    await fly.cordon(app, m.id, lease.nonce);
    await fly.uncordon(app, m.id, lease.nonce);
    await fly.releaseLease(app, m.id, lease.nonce!);
    expect(await fly.showLease(app, m.id)).toBeNull();

    await fly.setMetadataKey(app, m.id, "owner", "tower");
    expect((await fly.getMetadata(app, m.id)).owner).toBe("tower");
    await fly.deleteMetadataKey(app, m.id, "owner");
    expect((await fly.getMetadata(app, m.id)).owner).toBeUndefined();

    await fly.stopMachine(app, m.id, { signal: "SIGTERM", timeout: "5s" });
    const stopped = await fly.getMachine(app, m.id);
    expect(
      (await fly.waitMachine(app, m.id, { state: "stopped", timeout: 10, version: stopped?.instance_id })).ok,
    ).toBe(true);
    await fly.startMachine(app, m.id);
    expect((await fly.waitMachine(app, m.id, { state: "started", timeout: 10 })).ok).toBe(true);
    expect((await fly.machineEvents(app, m.id)).map((e) => e.type)).toContain("start");
    expect(await fly.deleteMachine(app, m.id, { force: true })).toBe(true);
    expect((await fly.waitMachine(app, m.id, { state: "destroyed", timeout: 10 })).ok).toBe(true);

    const vol = await fly.createVolume(app, { name: "data", region: "iad", size_gb: 1 });
    expect((await fly.extendVolume(app, vol.id, 2)).volume?.size_gb).toBe(2);
    expect(await fly.deleteVolume(app, vol.id)).toBe(true);

    expect((await fly.setSecrets(app, { A: "1", B: "2" })).version).toEqual(expect.any(Number));
    await fly.deleteSecret(app, "A");
    expect((await fly.listSecrets(app)).map((s) => s.name)).toEqual(["B"]);

    const ip = await fly.assignIp(app, { type: "v6" });
    expect((await fly.listIps(app)).map((a) => a.ip)).toEqual([ip.ip]);
    await fly.releaseIp(app, ip.ip);
    expect(await fly.listIps(app)).toEqual([]);

    expect((await fly.createAcmeCertificate(app, "shop.example.com")).hostname).toBe("shop.example.com");
    expect((await fly.getCertificate(app, "shop.example.com"))?.hostname).toBe("shop.example.com");

    expect(await fly.deleteApp(app)).toBe(true);
    expect(await fly.getApp(app)).toBeNull();
  }, 30_000);
});
