/** prune: true — the AppDO destroys its Fly app only when Tower made it. */
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

describe("AppDO destroyApp (prune)", () => {
  it("destroys an app Tower deployed", async () => {
    const name = unique("prune");
    const stub = appStub(env, name);
    await stub.desire(notice(resolvedApp(name), "k1"));
    await settle(stub);
    expect(await fly.getApp(name)).not.toBeNull();
    await stub.destroyApp("removed from config");
    expect((await destroyedEvent(stub)).data).toMatchObject({ destroyed: true });
    expect(await fly.getApp(name)).toBeNull();
  });

  it("leaves alone an app that has a machine Tower did not make", async () => {
    const name = unique("foreign");
    const stub = appStub(env, name);
    await stub.desire(notice(resolvedApp(name), "k1"));
    await settle(stub);
    await fly.createMachine(name, { name: "by-hand", region: "ams", config: { image: "registry.example/other:1" } });
    await stub.destroyApp("removed from config");
    expect((await destroyedEvent(stub)).data).toMatchObject({
      destroyed: false,
      reason: expect.stringMatching(/not made by Tower/),
    });
    expect(await fly.getApp(name)).not.toBeNull();
  });
});
