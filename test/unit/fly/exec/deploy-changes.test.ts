import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FlySim } from "../../../fly-sim/sim";
import { shopApp } from "../fixture-app";
import { clientFor, deploy, machinesByName, startSim } from "./sim-harness";

let sim: FlySim;
beforeAll(async () => {
  sim = await startSim();
});
afterAll(() => sim.close());

describe("redeploying changes other than the image", () => {
  it("applies new secrets, a moved mount, a bigger volume, a scale-down and pruned IPs", async () => {
    const client = clientFor(sim);
    const app = "shop-changes";
    const v1 = shopApp({ name: app, ips: [{ type: "v6" }, { type: "shared_v4" }, { type: "v4" }] });
    expect((await deploy(client, v1, { release: 1 })).result.status).toBe("succeeded");
    const volumesBefore = await client.listVolumes(app);
    const workerBefore = (await machinesByName(client, app)).get("worker-iad-1")!;

    const v2 = shopApp({
      name: app,
      secrets: { DATABASE_URL: "postgres://db/shop2", API_KEY: "k-2" },
      secretsDigest: "sec-2",
      volumes: [
        { name: "data", region: "iad", sizeGb: 5, count: 1 },
        { name: "data", region: "ams", sizeGb: 3, count: 1 },
      ],
      ips: [{ type: "v6" }, { type: "shared_v4" }],
      autoPruneIps: true,
    });
    v2.groups = v2.groups
      .map((g) =>
        g.processGroup === "worker"
          ? { ...g, config: { ...g.config, mounts: [{ name: "data", path: "/var/lib/data" }] } }
          : g,
      )
      .map((g) => (g.processGroup === "web" && g.region === "ams" ? { ...g, count: 1 } : g));
    const r = await deploy(client, v2, { release: 2 });
    expect(r.result).toMatchObject({ status: "succeeded" });
    expect(r.plan.steps.map((s) => s.kind)).toEqual([
      "set-secrets",
      "extend-volume",
      "release-ip",
      "release-command",
      "machines",
      "machines",
      "machines",
      "machines",
    ]);
    const ops = r.plan.steps.flatMap((s) => (s.kind === "machines" ? s.changes.map((c) => `${c.op} ${c.name}`) : []));
    expect(ops.sort()).toEqual([
      "destroy web-ams-2",
      "replace worker-ams-2",
      "replace worker-iad-2",
      "update web-ams-1",
      "update web-iad-1",
      "update web-iad-2",
    ]);

    const now = await machinesByName(client, app);
    const managed = [...now.values()].filter((m) => m.config?.metadata?.fly_process_group);
    expect(managed.map((m) => m.name).sort()).toEqual([
      "web-ams-1",
      "web-iad-1",
      "web-iad-2",
      "worker-ams-2",
      "worker-iad-2",
    ]);
    // The replaced worker took its predecessor's volume: the data stayed, nothing was deleted.
    const worker = now.get("worker-iad-2")!;
    expect(worker.id).not.toBe(workerBefore.id);
    expect(worker.config?.mounts).toEqual([
      expect.objectContaining({
        name: "data",
        path: "/var/lib/data",
        volume: workerBefore.config?.mounts?.[0]?.volume,
      }),
    ]);
    const volumesAfter = await client.listVolumes(app);
    expect(volumesAfter.map((v) => v.id).sort()).toEqual(volumesBefore.map((v) => v.id).sort());
    expect(volumesAfter.find((v) => v.region === "iad")?.size_gb).toBe(5);
    // Machines were updated after the secrets, asking for at least that version.
    for (const m of managed) expect(m.config?.metadata?.tower_secrets).toBe("sec-2");
    const secretsSet = sim.requests(app).filter((q) => q.operation === "Secrets_update" && q.status === 200).length;
    const updates = sim.requests(app).filter((q) => q.operation === "Machines_update");
    expect(secretsSet).toBe(2);
    expect(updates.length).toBeGreaterThan(0);
    for (const u of updates)
      expect((u.body as { min_secrets_version?: number }).min_secrets_version).toBeGreaterThanOrEqual(2);
    expect((await client.listIps(app)).length).toBe(2);

    expect((await deploy(client, v2, { release: 3 })).plan.steps).toEqual([]);
    expect(sim.doubleMounts(app)).toBe(0);
    expect(sim.leaseOverlaps(app)).toBe(0);
  }, 60_000);
});
