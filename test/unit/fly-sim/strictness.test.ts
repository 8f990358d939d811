import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FlySim, startFlySim } from "../../fly-sim";
import { api, baseConfig } from "./api";

let sim: FlySim;
let call: ReturnType<typeof api>;

beforeAll(async () => {
  // Sends malformed requests on purpose: kept out of the suite's request log.
  sim = await startFlySim({ rateLimit: false, record: false, timings: { appReadyMs: 0, transitionMs: 10 } });
  call = api(sim);
  expect((await call("POST", "/apps", { name: "strict-app", org_slug: "personal" })).status).toBe(201);
});
afterAll(() => sim.close());

describe("fly-sim request validation", () => {
  it("refuses an unknown field deep in the machine config, naming it", async () => {
    const res = await call("POST", "/apps/strict-app/machines", {
      region: "iad",
      config: { ...baseConfig, guest: { cpu_kind: "shared", cpus: 1, memroy_mb: 256 } },
    });
    expect(res.status).toBe(422);
    expect(res.body).toEqual({
      error: expect.stringContaining("config.guest.memroy_mb: unknown field"),
      status: "unknown",
    });
    expect(res.headers.get("fly-request-id")).toMatch(/^[0-9A-Z]{26}-/);
  });

  it("refuses mistyped fields, durations without units and memory not a multiple of 256", async () => {
    const bad = [
      { ...baseConfig, services: [{ protocol: "tcp", internal_port: "8080" }] },
      { ...baseConfig, checks: { web: { type: "http", port: 8080, interval: 15 } } },
      { ...baseConfig, checks: { web: { type: "http", interval: "15s" } } },
      { ...baseConfig, guest: { cpu_kind: "shared", cpus: 1, memory_mb: 300 } },
      { ...baseConfig, services: [{ protocol: "tcp", ports: [{ port: 80 }] }] },
    ];
    const errors = [];
    for (const config of bad) {
      const res = await call("POST", "/apps/strict-app/machines", { region: "iad", config });
      expect(res.status).toBe(422);
      errors.push(res.body.error);
    }
    expect(errors[0]).toContain("config.services[0].internal_port");
    expect(errors[1]).toContain("config.checks.web.interval");
    expect(errors[2]).toContain("config.checks.web.port");
    expect(errors[3]).toContain("multiple of 256");
    expect(errors[4]).toContain("config.services[0].internal_port");
  });

  it("refuses undeclared query parameters, bad wait arguments and bodies where none is described", async () => {
    expect((await call("GET", "/apps/strict-app/machines?metadata.fly_process_group=app")).status).toBe(422);
    expect((await call("GET", "/apps/strict-app/machines?region=iad&summary=true")).status).toBe(200);
    const m = await call("POST", "/apps/strict-app/machines", { region: "iad", config: baseConfig });
    expect(m.status).toBe(200);
    expect((await call("GET", `/apps/strict-app/machines/${m.body.id}/wait?state=started&timeout=61`)).status).toBe(
      400,
    );
    expect((await call("GET", `/apps/strict-app/machines/${m.body.id}/wait?state=running`)).status).toBe(400);
    expect((await call("GET", `/apps/strict-app/machines/${m.body.id}/wait?state=stopped`)).status).toBe(400);
    expect((await call("POST", `/apps/strict-app/machines/${m.body.id}/cordon`, {})).status).toBe(422);
  });

  it("checks auth: macaroons must be sent as FlyV1", async () => {
    expect((await api(sim, "fm2_abc")("GET", "/apps/strict-app")).status).toBe(401);
    const res = await fetch(`${sim.url}/v1/apps/strict-app`, { headers: { authorization: "FlyV1 fm2_abc" } });
    expect(res.status).toBe(200);
    expect((await fetch(`${sim.url}/v1/apps/strict-app`)).status).toBe(401);
  });

  it("answers Fly's status codes for creates and validates names", async () => {
    expect((await call("POST", "/apps", { name: "strict-app", org_slug: "personal" })).status).toBe(422);
    expect(
      (await call("POST", "/apps/strict-app/volumes", { name: "Bad-Name", region: "iad", size_gb: 1 })).status,
    ).toBe(422);
    expect(
      (await call("POST", "/apps/strict-app/volumes", { name: "a".repeat(31), region: "iad", size_gb: 1 })).status,
    ).toBe(422);
    expect(
      (await call("POST", "/apps/strict-app/volumes", { name: "pg_data", region: "iad", size_gb: 1 })).status,
    ).toBe(200);
    expect((await call("POST", "/apps/strict-app/ip_assignments", { type: "v6" })).status).toBe(200);
    expect((await call("POST", "/apps/strict-app/ip_assignments", { type: "v5" })).status).toBe(422);
    const first = await call("POST", "/apps/strict-app/machines", { region: "iad", name: "web-1", config: baseConfig });
    expect(first.status).toBe(200);
    expect(
      (await call("POST", "/apps/strict-app/machines", { region: "iad", name: "web-1", config: baseConfig })).status,
    ).toBe(409);
  });

  it("refuses min_secrets_version above the app's secrets version", async () => {
    const set = await call("POST", "/apps/strict-app/secrets", { values: { DATABASE_URL: "postgres://x" } });
    expect(set.status).toBe(200);
    expect(set.body.version).toBe(1);
    expect(set.body.secrets).toEqual([expect.objectContaining({ name: "DATABASE_URL" })]);
    expect(JSON.stringify(set.body)).not.toContain("postgres://x");
    const config = baseConfig;
    expect(
      (await call("POST", "/apps/strict-app/machines", { region: "iad", config, min_secrets_version: 2 })).status,
    ).toBe(400);
    expect(
      (await call("POST", "/apps/strict-app/machines", { region: "iad", config, min_secrets_version: 1 })).status,
    ).toBe(200);
    const list = await call("GET", "/apps/strict-app/secrets");
    expect(list.body).toEqual({
      secrets: [expect.objectContaining({ name: "DATABASE_URL", digest: expect.any(String) })],
    });
  });
});
