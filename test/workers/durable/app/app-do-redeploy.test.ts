/** Admin force-sync restarts every machine with the new release; a drift re-apply changes only what differs. */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createFlyClient, type FlyMachine } from "../../../../src/fly";
import { flySimControl } from "../../../fly-sim/control";
import type { LoggedRequest } from "../../../fly-sim/request-log";
import { appStub } from "../../do-stubs";
import { notice, resolvedApp, settle } from "./fixtures";

const sim = flySimControl(env.FLY_API_BASE);
const client = () => createFlyClient({ baseUrl: env.FLY_API_BASE, token: env.FLY_API_TOKEN ?? "" });
const unique = (prefix: string) => `${prefix}-${crypto.randomUUID().slice(0, 8)}`;
const threeMachines = (name: string) =>
  resolvedApp(name, { config: { app: name, machines: { count: 3 }, http_service: { internal_port: 8080 } } });

async function machines(app: string): Promise<FlyMachine[]> {
  return (await client().listMachines(app)).filter((m) => m.state !== "destroyed" && m.state !== "destroying");
}

/** Index of the first request after `from` for `op` on machine `id`. */
function at(log: LoggedRequest[], from: number, op: string, id: string): number {
  return log.findIndex((r, i) => i >= from && r.operation === op && r.path.includes(`/machines/${id}`));
}

describe("AppDO redeploys", () => {
  it("force-sync updates every machine under a lease, stamping the new release", async () => {
    const name = unique("redeploy");
    const stub = appStub(env, name);
    await stub.desire(notice(threeMachines(name), "k1"));
    await settle(stub);
    const before = await machines(name);
    expect(before.map((m) => m.config?.metadata?.fly_release_version)).toEqual(["1", "1", "1"]);
    const from = (await sim.requests(name)).length;

    await stub.forceSync({ cause: "admin: POST /api/apps/:app/sync", key: "admin-1" });
    const summary = await settle(stub);
    expect(summary).toMatchObject({ status: "synced", lastDeploy: { outcome: "succeeded", release: 2 } });
    const deployId = summary!.lastDeploy!.id;
    expect((await stub.deploy(deployId))?.planSummary).toEqual({ "machines.update": 3 });

    const after = await machines(name);
    expect(after.map((m) => m.id).sort()).toEqual(before.map((m) => m.id).sort());
    for (const m of after) {
      expect(m.config?.metadata).toMatchObject({ fly_release_version: "2", fly_release_id: deployId });
      expect(m.config?.image).toBe("registry.example/hello:1");
      expect(m.state).toBe("started");
    }
    const log = await sim.requests(name);
    for (const m of before) {
      const lease = at(log, from, "Machines_create_lease", m.id);
      const update = at(log, from, "Machines_update", m.id);
      expect(lease).toBeGreaterThanOrEqual(from);
      expect(update).toBeGreaterThan(lease);
      expect(at(log, update, "Machines_release_lease", m.id)).toBeGreaterThan(update);
    }
    expect(
      log.slice(from).filter((r) => r.operation === "Machines_create" || r.operation === "Machines_delete"),
    ).toEqual([]);
    expect(await sim.leaseOverlaps(name)).toBe(0);
  });

  it("a drift re-apply updates only the machine that drifted", async () => {
    const name = unique("drift");
    const stub = appStub(env, name);
    await stub.desire(notice(threeMachines(name), "k1"));
    await settle(stub);
    const [tampered] = await machines(name);
    const config = { ...tampered!.config!, env: { ...tampered!.config!.env, GREETING: "tampered" } };
    await client().updateMachine(name, tampered!.id, { config });

    expect(await stub.checkDrift("drift")).toMatchObject({ drift: true, planSummary: { "machines.update": 1 } });
    expect(await settle(stub)).toMatchObject({ status: "synced", lastDeploy: { release: 2, cause: "drift" } });
    const versions = new Map((await machines(name)).map((m) => [m.id, m.config?.metadata?.fly_release_version]));
    expect(versions.get(tampered!.id)).toBe("2");
    expect([...versions.values()].filter((v) => v === "1")).toHaveLength(2);
    expect(await sim.leaseOverlaps(name)).toBe(0);
  });
});
