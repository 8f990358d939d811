import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FlySim, startFlySim } from "../../fly-sim";
import { api, baseConfig } from "./api";

let sim: FlySim;
let call: ReturnType<typeof api>;
const A = "/apps/vol-app";

beforeAll(async () => {
  sim = await startFlySim({ rateLimit: false, timings: { appReadyMs: 0, transitionMs: 10 } });
  call = api(sim);
  await call("POST", "/apps", { name: "vol-app", org_slug: "personal" });
});
afterAll(() => sim.close());

const mounting = (volume: string) => ({ ...baseConfig, mounts: [{ volume, path: "/data", name: "data" }] });

describe("fly-sim volumes", () => {
  it("attach to one machine only, in their own region; refusals are counted as double mounts", async () => {
    const { body: vol } = await call("POST", `${A}/volumes`, { name: "data", region: "iad", size_gb: 1 });
    const first = await call("POST", `${A}/machines`, { region: "iad", config: mounting(vol.id) });
    expect(first.status).toBe(200);
    expect((await call("GET", `${A}/volumes/${vol.id}`)).body.attached_machine_id).toBe(first.body.id);
    const second = await call("POST", `${A}/machines`, { region: "iad", config: mounting(vol.id) });
    expect(second.status).toBe(412);
    const elsewhere = await call("POST", `${A}/machines`, { region: "ams", config: mounting(vol.id) });
    expect(elsewhere.status).toBe(412);
    expect(elsewhere.body.error).toContain("region iad");
    expect(sim.doubleMounts("vol-app")).toBe(2);
    expect((await call("DELETE", `${A}/volumes/${vol.id}`)).status).toBe(412);
  });

  it("an update cannot move a mount: the old volume stays", async () => {
    const { body: a } = await call("POST", `${A}/volumes`, { name: "data", region: "iad", size_gb: 1 });
    const { body: b } = await call("POST", `${A}/volumes`, { name: "data", region: "iad", size_gb: 1 });
    const { body: m } = await call("POST", `${A}/machines`, { region: "iad", config: mounting(a.id) });
    const updated = await call("POST", `${A}/machines/${m.id}`, { config: mounting(b.id) });
    expect(updated.status).toBe(200);
    expect(updated.body.config.mounts[0].volume).toBe(a.id);
    expect((await call("GET", `${A}/volumes/${b.id}`)).body.attached_machine_id).toBeNull();
    expect(sim.counters("vol-app").ignoredMountChanges).toBe(1);
  });

  it("extends grow-only, and frees the volume when its machine is destroyed", async () => {
    const { body: vol } = await call("POST", `${A}/volumes`, { name: "pg", region: "iad", size_gb: 2 });
    expect((await call("PUT", `${A}/volumes/${vol.id}/extend`, { size_gb: 1 })).status).toBe(400);
    const grown = await call("PUT", `${A}/volumes/${vol.id}/extend`, { size_gb: 5 });
    expect(grown.body).toMatchObject({ needs_restart: false, volume: { size_gb: 5 } });
    const { body: m } = await call("POST", `${A}/machines`, { region: "iad", config: mounting(vol.id) });
    await call("GET", `${A}/machines/${m.id}/wait?state=started`);
    expect((await call("DELETE", `${A}/machines/${m.id}?force=true`)).status).toBe(200);
    await call("GET", `${A}/machines/${m.id}/wait?state=destroyed`);
    expect((await call("GET", `${A}/volumes/${vol.id}`)).body.attached_machine_id).toBeNull();
    expect((await call("POST", `${A}/machines`, { region: "iad", config: mounting(vol.id) })).status).toBe(200);
  });
});
