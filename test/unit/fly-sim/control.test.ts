import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FlySim, startFlySim } from "../../fly-sim";
import { type FlySimControl, flySimControl } from "../../fly-sim/control";
import { api, baseConfig } from "./api";

let sim: FlySim;
let control: FlySimControl;
let call: ReturnType<typeof api>;

beforeAll(async () => {
  sim = await startFlySim({
    rateLimit: false,
    timings: { appReadyMs: 0, transitionMs: 10, checksPassMs: 20, oneOffRunMs: 20 },
  });
  control = flySimControl(sim.url);
  call = api(sim);
});
afterAll(() => sim.close());

describe("fly-sim /_sim control API", () => {
  it("sets exit codes of one-off machines and failing checks by app, and reads state", async () => {
    await call("POST", "/apps", { name: "ctl-app", org_slug: "personal" });
    await control.addExitRule({ app: "ctl-app", command: "migrate", exitCode: 2 });
    await control.failChecks({ app: "ctl-app", image: ":broken" });
    const job = { ...baseConfig, auto_destroy: true, restart: { policy: "no" }, init: { cmd: ["migrate"] } };
    const { body: oneOff } = await call("POST", "/apps/ctl-app/machines", { region: "iad", config: job });
    const checks = { alive: { type: "tcp", port: 8080 } };
    const { body: broken } = await call("POST", "/apps/ctl-app/machines", {
      region: "iad",
      config: { ...baseConfig, image: "demo:broken", checks },
    });
    await call("GET", `/apps/ctl-app/machines/${oneOff.id}/wait?state=destroyed`);
    await call("GET", `/apps/ctl-app/machines/${broken.id}/wait?state=started`);
    await new Promise((r) => setTimeout(r, 50));
    expect((await call("GET", `/apps/ctl-app/machines/${broken.id}`)).body.checks[0].status).toBe("critical");
    const state = await control.state("ctl-app");
    expect(state.machines.find((m) => m.id === oneOff.id)).toMatchObject({ state: "destroyed", exit_code: 2 });
    expect(state.apps.map((a) => a.name)).toEqual(["ctl-app"]);
    expect(state.request_counts.Machines_create).toBe(2);
    await control.clearFailingChecks("ctl-app");
    expect((await call("GET", `/apps/ctl-app/machines/${broken.id}`)).body.checks[0].status).toBe("passing");
  });

  it("sets faults, timings and rate limits over HTTP and resets one app without touching others", async () => {
    await call("POST", "/apps", { name: "ctl-a", org_slug: "personal" });
    await call("POST", "/apps", { name: "ctl-b", org_slug: "personal" });
    await control.setFaults({ rules: [{ operation: "Apps_show", status: 500 }] }, "ctl-a");
    expect((await call("GET", "/apps/ctl-a")).status).toBe(500);
    expect((await call("GET", "/apps/ctl-b")).status).toBe(200);
    await control.clearFaults("ctl-a");
    expect((await call("GET", "/apps/ctl-a")).status).toBe(200);
    await control.setRateLimit({ scale: 1 });
    const statuses = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await call("POST", "/apps/ctl-a/ip_assignments", { type: "v6" })).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    await control.setRateLimit(false);
    await control.reset("ctl-a");
    expect((await call("GET", "/apps/ctl-a")).status).toBe(404);
    expect((await call("GET", "/apps/ctl-b")).status).toBe(200);
    expect((await control.requests("ctl-b")).every((r) => r.app === "ctl-b")).toBe(true);
    await control.reset();
    expect((await control.state()).apps).toEqual([]);
  });

  it("answers unknown control paths with 404 and keeps control calls out of the request log", async () => {
    await expect(control.setTimings({ transitionMs: 5 })).resolves.toBeUndefined();
    const res = await fetch(`${sim.url}/_sim/nope`);
    expect(res.status).toBe(404);
    expect(sim.requests().some((r) => r.path.startsWith("/_sim"))).toBe(false);
  });
});
