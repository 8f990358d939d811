import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FlySim, startFlySim } from "../../fly-sim";
import { api, baseConfig } from "./api";

let sim: FlySim;
const alice = () => api(sim, "alice-token");
const bob = () => api(sim, "bob-token");

beforeAll(async () => {
  // A lease "second" is 20 ms here, so expiry tests take a fraction of a second.
  sim = await startFlySim({ rateLimit: false, timings: { appReadyMs: 0, transitionMs: 10, secondMs: 20 } });
  await alice()("POST", "/apps", { name: "lease-app", org_slug: "personal" });
});
afterAll(() => sim.close());

async function newMachine(): Promise<string> {
  const res = await alice()("POST", "/apps/lease-app/machines", { region: "iad", config: baseConfig });
  expect(res.status).toBe(200);
  return res.body.id;
}

describe("fly-sim leases", () => {
  it("excludes: without the holder's nonce, updates, stops and deletes answer 409", async () => {
    const id = await newMachine();
    const lease = await alice()("POST", `/apps/lease-app/machines/${id}/lease`, { ttl: 100, description: "deploy" });
    expect(lease.status).toBe(200);
    expect(lease.body).toEqual({
      status: "success",
      data: {
        nonce: expect.any(String),
        expires_at: expect.any(Number),
        owner: expect.any(String),
        description: "deploy",
        version: expect.any(String),
      },
    });
    const nonce = lease.body.data.nonce as string;
    const path = `/apps/lease-app/machines/${id}`;
    expect((await bob()("POST", `${path}/lease`, { ttl: 10 })).status).toBe(409);
    const conflict = await bob()("POST", path, { config: baseConfig });
    expect(conflict.status).toBe(409);
    expect(conflict.body.error).toMatch(/^aborted: machine ID .* lease currently held by/);
    expect((await bob()("POST", `${path}/stop`)).status).toBe(409);
    expect((await bob()("DELETE", `${path}?force=true`)).status).toBe(409);
    expect((await bob()("POST", path, { config: baseConfig }, { "fly-machine-lease-nonce": "wrong" })).status).toBe(
      409,
    );
    const ok = await alice()("POST", path, { config: baseConfig }, { "fly-machine-lease-nonce": nonce });
    expect(ok.status).toBe(200);
    expect((await alice()("DELETE", `${path}/lease`, undefined, { "fly-machine-lease-nonce": nonce })).status).toBe(
      200,
    );
    expect((await bob()("POST", `${path}/lease`, { ttl: 10 })).status).toBe(200);
    expect(sim.counters("lease-app").leaseConflicts).toBe(5);
    expect(sim.leaseOverlaps("lease-app")).toBe(0);
  });

  it("expires by ttl, and counts a holder acting after its lease lapsed as an overlap", async () => {
    const id = await newMachine();
    const path = `/apps/lease-app/machines/${id}`;
    const first = await alice()("POST", `${path}/lease`, { ttl: 2 });
    const stale = first.body.data.nonce as string;
    await new Promise((r) => setTimeout(r, 60));
    const second = await bob()("POST", `${path}/lease`, { ttl: 100 });
    expect(second.status).toBe(200);
    const late = await alice()("POST", path, { config: baseConfig }, { "fly-machine-lease-nonce": stale });
    expect(late.status).toBe(409);
    expect(sim.leaseOverlaps("lease-app")).toBe(1);
    expect(sim.counters("lease-app").leaseExpiries).toBe(1);
  });

  it("refreshes with the holder's nonce and grants a lease at create with lease_ttl", async () => {
    const res = await alice()("POST", "/apps/lease-app/machines", {
      region: "iad",
      config: baseConfig,
      lease_ttl: 100,
    });
    expect(res.body.nonce).toEqual(expect.any(String));
    const path = `/apps/lease-app/machines/${res.body.id}`;
    const refresh = await alice()("POST", `${path}/lease`, { ttl: 200 }, { "fly-machine-lease-nonce": res.body.nonce });
    expect(refresh.status).toBe(200);
    expect(refresh.body.data.nonce).toBe(res.body.nonce);
    const shown = await bob()("GET", `${path}/lease`);
    expect(shown.body.data.owner).toBe(refresh.body.data.owner);
    expect((await bob()("POST", `${path}/cordon`)).status).toBe(409);
  });
});
