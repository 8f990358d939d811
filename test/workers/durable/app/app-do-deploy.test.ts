/** The AppDO deploying to the Fly simulator: real engine, real alarms, real leases. */
import { abortAllDurableObjects, env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { flySimControl } from "../../../fly-sim/control";
import { appStub } from "../../do-stubs";
import { arrivedMidDeployWithoutOverlap, deployRunning, eventsOf, notice, resolvedApp, settle } from "./fixtures";

const sim = flySimControl(env.FLY_API_BASE);
const unique = (prefix: string) => `${prefix}-${crypto.randomUUID().slice(0, 8)}`;
const count = (types: string[], type: string) => types.filter((t) => t === type).length;

describe("AppDO deploys to Fly (simulator)", () => {
  it("a desired state deploys, and the read API shows it", async () => {
    const name = unique("deploy");
    const stub = appStub(env, name);
    await stub.desire(notice(resolvedApp(name, { configHash: "h1" }), "k1", "c1"));
    const summary = await settle(stub);
    expect(summary).toMatchObject({
      status: "synced",
      desired: { configHash: "h1", sourceCommit: "c1" },
      deployed: { configHash: "h1", sourceCommit: "c1" },
      lastDeploy: { outcome: "succeeded", release: 1 },
    });
    const detail = await stub.deploy(summary!.lastDeploy!.id);
    expect(detail).toMatchObject({ image: "registry.example/hello:1", error: null, finishedAt: expect.any(String) });
    expect(detail!.planSummary).toMatchObject({ "create-app": 1, "machines.create": 1 });
    expect(detail!.steps.map((s) => s.name)).toContain("plan");
    expect(detail!.steps.every((s) => s.outcome === "done")).toBe(true);
    const state = await sim.state(name);
    const machines = state.machines as unknown as { config: { image: string; metadata: Record<string, string> } }[];
    expect(machines).toHaveLength(1);
    expect(machines[0]!.config.image).toBe("registry.example/hello:1");
    expect(machines[0]!.config.metadata).toMatchObject({ fly_release_version: "1", tower_managed: "true" });
    const types = (await eventsOf(stub)).map((e) => e.type);
    expect(count(types, "deploy.started")).toBe(1);
    expect(count(types, "deploy.succeeded")).toBe(1);
  });

  it("a second desired state arriving mid-deploy never deploys at once with the first, and wins", async () => {
    const name = unique("overlap");
    const stub = appStub(env, name);
    // Slow Fly calls keep the first deploy at work when the second state arrives.
    await sim.setFaults({ latencyMs: 100 }, name);
    await stub.desire(notice(resolvedApp(name, { configHash: "h1" }), "k1", "c1"));
    await deployRunning(stub);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect((await stub.summary())?.lastDeploy).toMatchObject({ configHash: "h1", outcome: "running" });
    await stub.desire(
      notice(
        resolvedApp(name, { configHash: "h2", source: { type: "image", image: "registry.example/hello:2" } }),
        "k2",
        "c2",
      ),
    );
    const summary = await settle(stub);
    await sim.clearFaults(name);
    expect(summary).toMatchObject({ status: "synced", deployed: { configHash: "h2", sourceCommit: "c2" } });
    expect(await sim.leaseOverlaps(name)).toBe(0);
    // h2 was recorded while h1's deploy ran; deploys follow each other: never a start while another runs.
    arrivedMidDeployWithoutOverlap(await eventsOf(stub), "h2");
    const machines = (await sim.state(name)).machines as unknown as { config: { image: string } }[];
    expect(machines.map((m) => m.config.image)).toEqual(["registry.example/hello:2"]);
  });

  it("evicted mid-deploy, the next alarm completes it: one deploy.started, one deploy.succeeded", async () => {
    const name = unique("evict");
    let stub = appStub(env, name);
    const app = resolvedApp(name, {
      configHash: "h1",
      config: { app: name, machines: { count: 3 }, http_service: { internal_port: 8080 } },
    });
    // Slow this app's Fly calls so the alarm is still at work on the machines when we evict.
    await sim.setFaults({ latencyMs: 150 }, name);
    await stub.desire(notice(app, "k1", "c1"));
    for (let wait = 0; wait < 200; wait++) {
      if ((await eventsOf(stub)).some((e) => e.type === "deploy.planned")) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await stub.summary())?.status).toBe("deploying");
    await abortAllDurableObjects();
    // Stubs of an aborted object are broken: address the app afresh, as the Worker would.
    stub = appStub(env, name);
    await sim.clearFaults(name);
    const summary = await settle(stub);
    expect(summary).toMatchObject({ status: "synced", deployed: { configHash: "h1" } });
    const types = (await eventsOf(stub)).map((e) => e.type);
    expect(count(types, "deploy.started")).toBe(1);
    expect(count(types, "deploy.succeeded")).toBe(1);
    expect(((await sim.state(name)).machines as unknown[]).length).toBe(3);
    expect(await sim.leaseOverlaps(name)).toBe(0);
  });

  it("a failing release command fails the deploy with a reason naming the step", async () => {
    const name = unique("fail");
    const stub = appStub(env, name);
    await sim.addExitRule({ app: name, command: "migrate-now", exitCode: 3, runMs: 20 });
    const app = resolvedApp(name, {
      config: { app: name, deploy: { release_command: "migrate-now" }, http_service: { internal_port: 8080 } },
    });
    await stub.desire(notice(app, "k1", "c1"));
    const summary = await settle(stub);
    expect(summary).toMatchObject({ status: "failed", deployed: { configHash: null } });
    const detail = await stub.deploy(summary!.lastDeploy!.id);
    expect(detail?.error).toMatch(/^release-command/);
    const failed = (await eventsOf(stub)).find((e) => e.type === "deploy.failed");
    expect(failed?.data).toMatchObject({ step: expect.stringMatching(/release-command/) });
  });

  it("force-sync redeploys an unchanged app as a new release", async () => {
    const name = unique("force");
    const stub = appStub(env, name);
    await stub.desire(notice(resolvedApp(name), "k1"));
    await settle(stub);
    await stub.forceSync({ cause: "admin sync", key: "admin-1" });
    const summary = await settle(stub);
    expect(summary).toMatchObject({
      status: "synced",
      lastDeploy: { outcome: "succeeded", release: 2, cause: "admin sync" },
    });
    // The second deploy ran end to end: nothing changed, yet its machine restarted as release 2.
    const types = (await eventsOf(stub)).map((e) => e.type);
    expect(count(types, "deploy.started")).toBe(2);
    expect(count(types, "deploy.succeeded")).toBe(2);
    const detail = await stub.deploy(summary!.lastDeploy!.id);
    expect(detail).toMatchObject({ error: null, planSummary: { "machines.update": 1 } });
    expect(detail!.steps.map((s) => s.name)).toEqual(["plan", "machines-1"]);
  });

  it("a forced notice delivered twice (a retried sync pass) redeploys once", async () => {
    const name = unique("force-once");
    const stub = appStub(env, name);
    await stub.desire(notice(resolvedApp(name), "k1"));
    await settle(stub);
    const forced = { ...notice(resolvedApp(name), "k2"), force: true };
    expect(await stub.desire(forced)).toEqual({ duplicate: false, changed: true });
    await settle(stub);
    // The retry arrives after the first redeploy finished: it must not start another.
    expect(await stub.desire(forced)).toMatchObject({ changed: false });
    await stub.forceSync({ cause: "admin", key: "admin-1" });
    await stub.forceSync({ cause: "admin", key: "admin-1" });
    const summary = await settle(stub);
    expect(summary).toMatchObject({ status: "synced", lastDeploy: { outcome: "succeeded", release: 3 } });
    const types = (await eventsOf(stub)).map((e) => e.type);
    expect(count(types, "deploy.started")).toBe(3);
  });
});
