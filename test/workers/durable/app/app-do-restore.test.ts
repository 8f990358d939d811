/**
 * A bad release never takes an app down: the AppDO against the simulator's broken images
 * (test/fly-sim/image-behaviour.ts). The gate stops the rollout at the first machine, the deploy
 * fails naming what the gate saw, and a restore puts the last good release back.
 */
import { abortAllDurableObjects, env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createFlyClient, type FlyMachine } from "../../../../src/fly";
import { flySimControl } from "../../../fly-sim/control";
import type { LoggedRequest } from "../../../fly-sim/request-log";
import { appStub } from "../../do-stubs";
import { eventsOf, notice, resolvedApp, settle } from "./fixtures";

const sim = flySimControl(env.FLY_API_BASE);
const client = () => createFlyClient({ baseUrl: env.FLY_API_BASE, token: env.FLY_API_TOKEN ?? "" });
const unique = (prefix: string) => `${prefix}-${crypto.randomUUID().slice(0, 8)}`;
const GOOD = "registry.example/hello:1";

/** Four machines; `checks: false` leaves them without any check (the smoke gate applies). */
function fourMachines(name: string, image: string, hash: string, o: { strategy?: string; checks?: boolean } = {}) {
  const checks = o.checks === false ? {} : { checks: { alive: { type: "http", port: 8080, path: "/healthz" } } };
  return resolvedApp(name, {
    configHash: hash,
    source: { type: "image", image },
    config: {
      app: name,
      machines: { count: 4 },
      http_service: { internal_port: 8080 },
      deploy: { strategy: o.strategy ?? "rolling", max_unavailable: 1, wait_timeout: "3s" },
      ...checks,
    },
  });
}

async function machines(app: string): Promise<FlyMachine[]> {
  return (await client().listMachines(app)).filter((m) => m.state !== "destroyed" && m.state !== "destroying");
}

/** Machines that were ever created or updated with `image`, by id (updates) or name (creates). */
function ranImage(log: LoggedRequest[], image: string): Set<string> {
  const out = new Set<string>();
  for (const r of log) {
    const body = r.body as { name?: string; config?: { image?: string } } | null;
    if (body?.config?.image !== image) continue;
    if (r.operation === "Machines_update") out.add(r.path.split("/machines/")[1]!.split(/[/?]/)[0]!);
    if (r.operation === "Machines_create" && !body.name?.startsWith("release-command")) out.add(body.name ?? "?");
  }
  return out;
}

/** Deploys the good release, then the bad one; returns what the app looks like once it settled. */
async function goodThenBad(name: string, bad: string, o: { strategy?: string; checks?: boolean } = {}) {
  const stub = appStub(env, name);
  await stub.desire(notice(fourMachines(name, GOOD, "h1", o), "k1", "c1"));
  expect(await settle(stub)).toMatchObject({ status: "synced" });
  const before = (await machines(name)).map((m) => m.id).sort();
  await stub.desire(notice(fourMachines(name, bad, "h2", o), "k2", "c2"));
  const summary = await settle(stub);
  return { stub, before, summary, events: await eventsOf(stub), log: await sim.requests(name) };
}

async function expectRestored(name: string, before: string[], withChecks = true) {
  const after = await machines(name);
  expect(after.map((m) => m.id).sort()).toEqual(before);
  for (const m of after) {
    expect(m.config?.image).toBe(GOOD);
    expect(m.state).toBe("started");
  }
  if (!withChecks) return;
  // Checks need their grace period after the restore restarted a machine.
  for (let i = 0; i < 100; i++) {
    const fresh = await machines(name);
    if (fresh.every((m) => (m.checks ?? []).length > 0 && m.checks!.every((c) => c.status === "passing"))) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("checks did not pass after the restore");
}

describe("a bad release never takes the app down", { timeout: 90_000 }, () => {
  it("rolling, checks never pass: one machine runs it, the deploy fails naming the check, a restore puts all 4 back", async () => {
    const name = unique("bad-rolling");
    const { before, summary, events, log } = await goodThenBad(name, "registry.example/hello:unhealthy");
    expect(ranImage(log, "registry.example/hello:unhealthy").size).toBe(1);
    const failed = events.find((e) => e.type === "deploy.failed");
    expect(failed?.data).toMatchObject({
      gate: { gate: "health", check: "alive", output: expect.stringContaining("503") },
      changed: { image: { to: "registry.example/hello:unhealthy" }, configHash: { from: "h1", to: "h2" } },
    });
    expect(String(failed?.data.reason)).toMatch(/check alive is critical after 3s/);
    const restore = events.find((e) => e.type === "restore.requested");
    expect(restore?.data).toMatchObject({ failed: failed?.data.deployId, release: 1 });
    expect(restore?.data.cause).toBe(`restore:${failed?.data.deployId}`);
    const restored = events.find((e) => e.type === "deploy.succeeded" && e.data.deployId === restore?.data.deployId);
    expect(restored).toBeDefined();
    expect(summary).toMatchObject({
      status: "failed",
      deployed: { configHash: "h1", sourceCommit: "c1" },
      failure: { deployId: failed?.data.deployId, gate: { check: "alive" }, restore: { outcome: "succeeded" } },
    });
    await expectRestored(name, before);
    // Gate polls stay inside Fly's limits: no 429, at most 5 machine reads a second per machine.
    expect(log.filter((r) => r.status === 429)).toEqual([]);
    const reads = new Map<string, number[]>();
    for (const r of log.filter((x) => x.operation === "Machines_show")) {
      const id = r.path.split("/machines/")[1]!;
      reads.set(id, [...(reads.get(id) ?? []), r.at]);
    }
    for (const times of reads.values())
      for (let i = 0; i < times.length; i++)
        expect(times.filter((t) => t >= times[i]! && t < times[i]! + 1000).length).toBeLessThanOrEqual(5);
  });

  it("rolling, a crash-looping image without checks: the smoke gate names the crash and its exit code, then restore", async () => {
    const name = unique("bad-crash");
    const { before, summary, events, log } = await goodThenBad(name, "registry.example/hello:crash-loop", {
      checks: false,
    });
    expect(ranImage(log, "registry.example/hello:crash-loop").size).toBe(1);
    const failed = events.find((e) => e.type === "deploy.failed");
    expect(failed?.data).toMatchObject({ gate: { gate: "smoke", exitCode: 1 } });
    expect(String(failed?.data.reason)).toMatch(/the app appears to be crashing/);
    expect(events.filter((e) => e.type === "restore.requested")).toHaveLength(1);
    expect(summary).toMatchObject({ status: "failed", deployed: { configHash: "h1" } });
    await expectRestored(name, before, false);
  });

  it("canary: only the canary runs the broken image, then restore", async () => {
    const name = unique("bad-canary");
    const { before, summary, log } = await goodThenBad(name, "registry.example/hello:unhealthy", {
      strategy: "canary",
    });
    expect(ranImage(log, "registry.example/hello:unhealthy").size).toBe(1);
    expect(summary).toMatchObject({ status: "failed", failure: { restore: { outcome: "succeeded" } } });
    await expectRestored(name, before);
  });

  it("bluegreen: blue keeps serving, the failing green is destroyed and blue is never cordoned", async () => {
    const name = unique("bad-bluegreen");
    const { before, summary, events, log } = await goodThenBad(name, "registry.example/hello:unhealthy", {
      strategy: "bluegreen",
    });
    const from = log.findIndex(
      (r) =>
        r.operation === "Machines_create" &&
        (r.body as { config?: { image?: string } })?.config?.image?.endsWith(":unhealthy"),
    );
    expect(from).toBeGreaterThan(0);
    const after = log.slice(from);
    expect(
      after.filter((r) => ["Machines_cordon", "Machines_stop", "Machines_uncordon"].includes(r.operation ?? "")),
    ).toEqual([]);
    for (const id of before)
      expect(after.some((r) => r.operation === "Machines_delete" && r.path.includes(id))).toBe(false);
    expect(events.find((e) => e.type === "deploy.failed")?.data).toMatchObject({ gate: { gate: "health" } });
    expect(summary).toMatchObject({ status: "failed", deployed: { configHash: "h1" } });
    await expectRestored(name, before);
  });

  // Retried: it failed once in a full CI run and passes alone; the cause is not yet found (see the
  // stop's note). Each try uses a new app name, so a retry cannot lean on the first try's state.
  it("an eviction in the middle of a restore: the restore completes once", async () => {
    const name = unique("bad-evict");
    let stub = appStub(env, name);
    await stub.desire(notice(fourMachines(name, GOOD, "h1"), "k1", "c1"));
    await settle(stub);
    const before = (await machines(name)).map((m) => m.id).sort();
    await stub.desire(notice(fourMachines(name, "registry.example/hello:unhealthy", "h2"), "k2", "c2"));
    for (let i = 0; i < 600 && (await stub.summary())?.status !== "degraded"; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect((await stub.summary())?.status).toBe("degraded");
    await abortAllDurableObjects();
    stub = appStub(env, name);
    const summary = await settle(stub);
    const events = await eventsOf(stub);
    const restore = events.find((e) => e.type === "restore.requested");
    expect(events.filter((e) => e.type === "restore.requested")).toHaveLength(1);
    expect(
      events.filter((e) => e.type === "deploy.started" && e.data.deployId === restore?.data.deployId),
    ).toHaveLength(1);
    expect(
      events.filter((e) => e.type === "deploy.succeeded" && e.data.deployId === restore?.data.deployId),
    ).toHaveLength(1);
    expect(summary).toMatchObject({ status: "failed", deployed: { configHash: "h1" } });
    await expectRestored(name, before);
    expect(await sim.leaseOverlaps(name)).toBe(0);
  });

  it("auto_restore: false leaves the failed release where it stopped", async () => {
    const name = unique("bad-norestore");
    const stub = appStub(env, name);
    await stub.desire(notice(fourMachines(name, GOOD, "h1"), "k1", "c1"));
    await settle(stub);
    const bad = fourMachines(name, "registry.example/hello:unhealthy", "h2");
    bad.config.deploy = { ...(bad.config.deploy as object), auto_restore: false };
    await stub.desire(notice(bad, "k2", "c2"));
    const summary = await settle(stub);
    const events = await eventsOf(stub);
    expect(events.some((e) => e.type === "restore.requested")).toBe(false);
    expect(summary).toMatchObject({ status: "failed", failure: { gate: { gate: "health" } } });
    expect(summary?.failure?.restore).toBeUndefined();
  });
});
