/** Fly's Retry-After reaches the AppDO's alarm: a rate-limited deploy waits as long as Fly asked. */
import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { flySimControl } from "../../../fly-sim/control";
import { appStub } from "../../do-stubs";
import { eventsOf, notice, resolvedApp, settle } from "./fixtures";

const sim = flySimControl(env.FLY_API_BASE);
const unique = (prefix: string) => `${prefix}-${crypto.randomUUID().slice(0, 8)}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("AppDO under Fly's rate limit", () => {
  it("a 429 with Retry-After: 3 on a machine update sets the next alarm ≥ 3 s away, and no update is sent sooner", async () => {
    const name = unique("retry-after");
    const stub = appStub(env, name);
    await stub.desire(notice(resolvedApp(name, { configHash: "h1" }), "k1", "c1"));
    await settle(stub);

    await sim.addFaultRule({ operation: "Machines_update", app: name, status: 429, retryAfterS: 3 });
    const image = "registry.example/hello:2";
    await stub.desire(notice(resolvedApp(name, { configHash: "h2", source: { type: "image", image } }), "k2", "c2"));
    // Run slices until one records the refused update as a step to retry.
    let retried = false;
    for (let slice = 0; slice < 200 && !retried; slice++) {
      retried = (await eventsOf(stub)).some((e) => e.type === "deploy.step" && e.data.outcome === "retry");
      if (!retried && !(await runDurableObjectAlarm(stub))) await sleep(20);
    }
    expect(retried).toBe(true);
    const refused = (await sim.requests(name)).filter((r) => r.operation === "Machines_update" && r.status === 429);
    expect(refused).toHaveLength(1);
    const refusedAt = refused[0]!.at;

    const alarm = await runInDurableObject(stub, (_, state) => state.storage.getAlarm());
    expect(alarm).not.toBeNull();
    expect(alarm!).toBeGreaterThanOrEqual(refusedAt + 3000);
    // Woken early (a hand-run alarm, as a new desired state would), the DO still does not call Fly.
    await runDurableObjectAlarm(stub);
    await sim.clearFaults(name);
    await sleep(alarm! - Date.now() + 50);

    const summary = await settle(stub);
    expect(summary).toMatchObject({ status: "synced", deployed: { configHash: "h2" } });
    const updates = (await sim.requests(name)).filter((r) => r.operation === "Machines_update");
    const early = updates.filter((r) => r.at > refusedAt && r.at < refusedAt + 3000);
    expect(early).toEqual([]);
    expect(updates.some((r) => r.status === 200 && r.at >= refusedAt + 3000)).toBe(true);
    const steps = (await eventsOf(stub)).filter((e) => e.type === "deploy.step").map((e) => e.data);
    expect(steps).toContainEqual(expect.objectContaining({ outcome: "retry", afterMs: 3000 }));
  });
});
