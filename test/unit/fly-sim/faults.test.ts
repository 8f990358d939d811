import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FlySim, startFlySim } from "../../fly-sim";
import { flySimControl } from "../../fly-sim/control";
import { api, baseConfig } from "./api";

let sim: FlySim;
let call: ReturnType<typeof api>;
let record: string;

beforeAll(async () => {
  record = join(await mkdtemp(join(tmpdir(), "fly-sim-")), "requests.jsonl");
  sim = await startFlySim({ record, seed: 7, timings: { appReadyMs: 0, transitionMs: 10 } });
  call = api(sim);
  await call("POST", "/apps", { name: "fault-app", org_slug: "personal" });
  await call("POST", "/apps", { name: "quiet-app", org_slug: "personal" });
});
afterAll(() => sim.close());

describe("fly-sim rate limits and faults", () => {
  it("limits like Fly: the fourth create in a row for one app gets 429 with Retry-After", async () => {
    const statuses = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await call("POST", "/apps/fault-app/machines", { region: "iad", config: baseConfig })).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const again = await call("POST", "/apps/fault-app/machines", { region: "iad", config: baseConfig });
    expect(Number(again.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    // Another app has its own bucket.
    expect((await call("POST", "/apps/quiet-app/machines", { region: "iad", config: baseConfig })).status).toBe(200);
  });

  it("fails a named call N times, scoped to one app, through the control API", async () => {
    const control = flySimControl(sim.url);
    await control.addFaultRule({ app: "fault-app", operation: "Volumes_create", status: 503, times: 2 });
    const body = { name: "data", region: "iad", size_gb: 1 };
    expect((await call("POST", "/apps/quiet-app/volumes", body)).status).toBe(200);
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await call("POST", "/apps/fault-app/volumes", body)).status);
    expect(statuses).toEqual([503, 503, 200]);
    expect((await control.counters("fault-app")).faultsInjected).toBe(2);
  });

  it("can lose the answer after making the change (a create that must not be blindly retried)", async () => {
    sim.faults.addRule({ app: "fault-app", operation: "App_IPAssignments_create", status: 502, times: 1, after: true });
    expect((await call("POST", "/apps/fault-app/ip_assignments", { type: "v6" })).status).toBe(502);
    expect((await call("GET", "/apps/fault-app/ip_assignments")).body.ips).toHaveLength(1);
  });

  it("injects error and 429 rates and latency per app", async () => {
    sim.setRateLimit(false);
    sim.faults.set({ errorRate: 0.2, rate429: 0.2, latencyMs: 5 }, "fault-app");
    const statuses: number[] = [];
    const started = Date.now();
    for (let i = 0; i < 60; i++) statuses.push((await call("GET", "/apps/fault-app")).status);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    const failed = statuses.filter((s) => s >= 500).length;
    const limited = statuses.filter((s) => s === 429).length;
    expect(failed).toBeGreaterThan(2);
    expect(limited).toBeGreaterThan(2);
    expect(failed + limited).toBeLessThan(45);
    for (let i = 0; i < 10; i++) expect((await call("GET", "/apps/quiet-app")).status).toBe(200);
    sim.faults.clear("fault-app");
  });

  it("hangs a call when asked", async () => {
    sim.faults.addRule({ app: "fault-app", operation: "Apps_show", hang: true, times: 1 });
    const res = fetch(`${sim.url}/v1/apps/fault-app`, {
      headers: { authorization: "Bearer t" },
      signal: AbortSignal.timeout(150),
    });
    await expect(res).rejects.toThrow();
    expect((await call("GET", "/apps/fault-app")).status).toBe(200);
  });

  it("records every /v1 request (and no control call) as {method,path,body} lines", async () => {
    const lines = (await readFile(record, "utf8"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.length).toBe(sim.requests().length);
    expect(lines[0]).toEqual({ method: "POST", path: "/v1/apps", body: { name: "fault-app", org_slug: "personal" } });
    expect(lines.some((l) => String(l.path).startsWith("/_sim"))).toBe(false);
  });
});
