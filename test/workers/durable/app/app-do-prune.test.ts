/**
 * Ownership (issue 13 §4): the AppDO records in its own log that Tower created the Fly app; prune
 * destroys only such apps. An app that exists already is deployed into only with `adopt: true`,
 * recorded as adopted, and never pruned.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createFlyClient } from "../../../../src/fly";
import { appStub } from "../../do-stubs";
import { eventsOf, notice, resolvedApp, settle } from "./fixtures";

const unique = (prefix: string) => `${prefix}-${crypto.randomUUID().slice(0, 8)}`;
const fly = createFlyClient({ baseUrl: env.FLY_API_BASE, token: env.FLY_API_TOKEN! });

async function destroyedEvent(stub: ReturnType<typeof appStub>) {
  for (let wait = 0; wait < 200; wait++) {
    const event = (await eventsOf(stub)).find((e) => e.type === "app.destroyed");
    if (event) return event;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error("no app.destroyed event");
}

/** An app someone else made (by hand, with flyctl) in Tower's org, answering already. */
async function existingApp(name: string) {
  await fly.createApp({ name, org_slug: "personal" });
  for (let i = 0; i < 100 && !(await fly.getApp(name)); i++) await new Promise((r) => setTimeout(r, 20));
}

describe("AppDO ownership and prune", () => {
  it("records that Tower created the app, and prune destroys it", async () => {
    const name = unique("prune");
    const stub = appStub(env, name);
    await stub.desire(notice(resolvedApp(name), "k1"));
    await settle(stub);
    expect(await fly.getApp(name)).not.toBeNull();
    const created = (await eventsOf(stub)).filter((e) => e.type === "app.created");
    expect(created).toHaveLength(1);
    await stub.destroyApp("removed from config");
    expect((await destroyedEvent(stub)).data).toMatchObject({ destroyed: true });
    expect(await fly.getApp(name)).toBeNull();
  });

  it("refuses to deploy into an app Tower did not create, pointing to adopt: true", async () => {
    const name = unique("taken");
    await existingApp(name);
    const stub = appStub(env, name);
    await stub.desire(notice(resolvedApp(name), "k1"));
    const summary = await settle(stub);
    expect(summary?.lastDeploy?.outcome).toBe("failed");
    const failed = (await eventsOf(stub)).find((e) => e.type === "deploy.failed");
    expect(failed?.data).toMatchObject({ step: "adopt", reason: expect.stringContaining("adopt: true") });
    expect(String(failed?.data.reason)).toContain(`apps/${name}/app.yaml`);
    expect(await fly.listMachines(name)).toHaveLength(0);
  });

  it("deploys into it with adopt: true, records the adoption, and prune leaves it alone", async () => {
    const name = unique("adopt");
    await existingApp(name);
    const stub = appStub(env, name);
    const app = resolvedApp(name);
    await stub.desire(notice({ ...app, config: { ...app.config, adopt: true }, configHash: "hash-adopt" }, "k1"));
    expect((await settle(stub))?.lastDeploy?.outcome).toBe("succeeded");
    const events = await eventsOf(stub);
    expect(events.filter((e) => e.type === "app.adopted")).toHaveLength(1);
    expect(events.some((e) => e.type === "app.created")).toBe(false);
    // Every machine is Tower's now, which is what the old machine-metadata rule went by.
    expect((await fly.listMachines(name)).length).toBeGreaterThan(0);
    await stub.destroyApp("removed from config");
    expect((await destroyedEvent(stub)).data).toMatchObject({
      destroyed: false,
      reason: expect.stringMatching(/adopted/),
    });
    expect(await fly.getApp(name)).not.toBeNull();
  });
});
