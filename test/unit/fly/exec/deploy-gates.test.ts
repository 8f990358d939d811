/**
 * The deploy engine's gates against the simulator's broken images (test/fly-sim/image-behaviour.ts):
 * a crash loop without checks, a green that never becomes healthy, bluegreen without checks, and
 * immediate waiting for the start.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DesiredApp } from "../../../../src/config/desired-app";
import type { FlySim } from "../../../fly-sim/sim";
import { webConfig } from "../fixture-app";
import { clientFor, deploy, machinesByName, startSim } from "./sim-harness";

let sim: FlySim;
beforeAll(async () => {
  sim = await startSim();
});
afterAll(() => sim.close());

/** Four web machines in one region; `checks: false` leaves the config without any check. */
function webApp(
  name: string,
  image: string,
  o: { strategy?: DesiredApp["deploy"]["strategy"]; checks?: boolean } = {},
): DesiredApp {
  const config = webConfig(image);
  if (o.checks === false) {
    delete config.checks;
    config.services = config.services?.map(({ checks: _c, ...s }) => s);
  }
  return {
    name,
    org: "acme",
    primaryRegion: "iad",
    configHash: `hash-${image}`,
    groups: [{ processGroup: "web", region: "iad", count: 4, config }],
    volumes: [],
    ips: [],
    autoPruneIps: false,
    secrets: {},
    secretsDigest: "none",
    deploy: { strategy: o.strategy ?? "rolling", maxUnavailable: 1, waitTimeoutMs: 3000 },
  };
}

const images = async (app: string) =>
  [...(await machinesByName(clientFor(sim), app)).values()].map((m) => m.config?.image ?? "");

describe("deploy gates", () => {
  it("rolling: a crash-looping image without checks fails the smoke gate on the first machine, with its exit code", async () => {
    const app = "gate-crash";
    const client = clientFor(sim);
    const good = webApp(app, "registry.fly.io/gate:v1", { checks: false });
    expect((await deploy(client, good, { release: 1, extra: { smokeMs: 300 } })).result.status).toBe("succeeded");
    const bad = webApp(app, "registry.fly.io/gate:crash-loop", { checks: false });
    const r = await deploy(client, bad, { release: 2, extra: { smokeMs: 5000 } });
    expect(r.result.status).toBe("failed");
    expect(r.result.failure?.step).toBe("machines-1");
    expect(r.result.failure?.reason).toMatch(/the app appears to be crashing: machine \w+ keeps exiting with code 1/);
    expect(r.result.failure?.gate).toMatchObject({ gate: "smoke", exitCode: 1 });
    expect((await images(app)).filter((i) => i.endsWith(":crash-loop"))).toHaveLength(1);
  }, 60_000);

  it("bluegreen: a green that never passes its checks is destroyed, and blue is never cordoned", async () => {
    const app = "gate-bluegreen";
    const client = clientFor(sim);
    const good = webApp(app, "registry.fly.io/gate:v1", { strategy: "bluegreen" });
    expect((await deploy(client, good, { release: 1 })).result.status).toBe("succeeded");
    const blue = [...(await machinesByName(client, app)).values()].map((m) => m.id).sort();
    const since = sim.requests(app).length;
    const r = await deploy(client, webApp(app, "registry.fly.io/gate:unhealthy", { strategy: "bluegreen" }), {
      release: 2,
    });
    expect(r.result.status).toBe("failed");
    expect(r.result.failure?.gate).toMatchObject({ gate: "health", output: expect.stringContaining("check failed") });
    const calls = sim.requests(app).slice(since);
    expect(calls.filter((c) => /\/(cordon|uncordon|stop)$/.test(c.path))).toEqual([]);
    const after = await machinesByName(client, app);
    expect([...after.values()].map((m) => m.id).sort()).toEqual(blue);
    expect([...after.values()].every((m) => m.config?.image === "registry.fly.io/gate:v1")).toBe(true);
  }, 60_000);

  it("bluegreen: a passing green takes traffic, then blue is cordoned, stopped and destroyed without force", async () => {
    const app = "gate-bluegreen-ok";
    const client = clientFor(sim);
    expect(
      (await deploy(client, webApp(app, "registry.fly.io/gate:v1", { strategy: "bluegreen" }), { release: 1 })).result
        .status,
    ).toBe("succeeded");
    const blue = [...(await machinesByName(client, app)).values()].map((m) => m.id);
    const since = sim.requests(app).length;
    const r = await deploy(client, webApp(app, "registry.fly.io/gate:v2", { strategy: "bluegreen" }), {
      release: 2,
      extra: { drainMs: 200 },
    });
    expect(r.result.status).toBe("succeeded");
    const calls = sim.requests(app).slice(since);
    const at = (re: RegExp) => calls.findIndex((c) => re.test(c.path));
    const lastUncordon = calls.map((c) => /\/uncordon$/.test(c.path)).lastIndexOf(true);
    expect(lastUncordon).toBeLessThan(at(/\/cordon$/));
    expect(at(/\/cordon$/)).toBeLessThan(at(/\/stop$/));
    for (const id of blue) {
      const destroyed = calls.find((c) => c.method === "DELETE" && c.path.includes(`/machines/${id}`));
      expect(destroyed?.path).not.toContain("force=true");
      expect(calls.some((c) => c.path.endsWith(`/machines/${id}/stop`))).toBe(true);
    }
  }, 60_000);

  it("bluegreen without any check is refused before anything changes", async () => {
    const app = "gate-bluegreen-blind";
    const client = clientFor(sim);
    const r = await deploy(client, webApp(app, "registry.fly.io/gate:v1", { strategy: "bluegreen", checks: false }));
    expect(r.result).toMatchObject({ status: "failed", failure: { step: "plan" } });
    expect(r.result.failure?.reason).toMatch(/bluegreen needs at least one health check/);
    expect(sim.requests(app).filter((c) => c.method !== "GET")).toEqual([]);
  }, 30_000);

  it("immediate has no gates but succeeds only once its machines have started", async () => {
    const app = "gate-immediate";
    const client = clientFor(sim);
    const r = await deploy(client, webApp(app, "registry.fly.io/gate:unhealthy", { strategy: "immediate" }));
    expect(r.result.status).toBe("succeeded");
    const states = [...(await machinesByName(client, app)).values()].map((m) => m.state);
    expect(states).toEqual(["started", "started", "started", "started"]);
  }, 60_000);
});
