/** `sync.self_heal`: a cron tick finds Fly changed behind Tower's back and re-applies what Tower last deployed. */
import { env } from "cloudflare:test";
import { describe, expect, inject, it } from "vitest";
import type { StoredEvent } from "../../../src/durable/contract";
import { createFlyClient, type FlyMachine } from "../../../src/fly";
import { flySimControl } from "../../fly-sim/control";
import { appStub } from "../do-stubs";
import { deployCount, deployedProject, deploysSettled, imageApp, lastSeq, newRepo, uniqueSuffix } from "./given";

const fly = () => flySimControl(inject("flyUrl"));
const client = () => createFlyClient({ baseUrl: env.FLY_API_BASE, token: env.FLY_API_TOKEN ?? "" });
const withEnv = (yaml: string, extra = "") => `${yaml}env:\n  GREETING: hello\n${extra}`;

async function machines(app: string): Promise<FlyMachine[]> {
  return (await client().listMachines(app)).filter((m) => m.state !== "destroyed" && m.state !== "destroying");
}

async function appEvents(name: string): Promise<StoredEvent[]> {
  return (await appStub(env, name).events(0, 1000)) as unknown as StoredEvent[];
}

describe("self-healing apps", () => {
  it("a tick re-applies a machine changed behind Tower's back; apps without self_heal are left as Fly has them", async () => {
    const s = uniqueSuffix();
    const [healed, left] = [`heal-${s}`, `left-${s}`];
    const config = await newRepo("config");
    await config.commit({
      "project.yaml": "project: root\n",
      "a/app.yaml": withEnv(imageApp(healed), "sync:\n  self_heal: true\n"),
      "b/app.yaml": withEnv(imageApp(left)),
    });
    const stub = await deployedProject(config, [healed, left]);

    // Nothing drifted yet: the tick reads Fly for the self-healing app and appends nothing anywhere.
    const seq = await lastSeq(stub);
    const healedLog = (await appEvents(healed)).length;
    const leftRequests = (await fly().requests(left)).length;
    await stub.tick(new Date().toISOString());
    expect(await lastSeq(stub)).toBe(seq);
    expect((await appEvents(healed)).length).toBe(healedLog);
    expect((await fly().requests(left)).length).toBe(leftRequests);

    // Someone edits each app's machine directly through the Machines API.
    for (const name of [healed, left]) {
      const [machine] = await machines(name);
      const config = { ...machine!.config!, env: { ...machine!.config!.env, GREETING: "tampered" } };
      await client().updateMachine(name, machine!.id, { config });
    }
    await stub.tick(new Date().toISOString());
    await deploysSettled([healed, left]);

    const detected = (await appEvents(healed)).filter((e) => e.type === "drift.detected");
    expect(detected).toHaveLength(1);
    expect(detected[0]?.data).toMatchObject({ cause: "drift", planSummary: { "machines.update": 1 } });
    const latest = (await appStub(env, healed).deploys({ limit: 1 })).items[0];
    expect(latest).toMatchObject({ cause: "drift", outcome: "succeeded", release: 2 });
    expect((await machines(healed)).map((m) => m.config?.env?.GREETING)).toEqual(["hello"]);
    expect((await appStub(env, healed).summary())?.status).toBe("synced");

    expect(await deployCount(left)).toBe(1);
    expect((await machines(left)).map((m) => m.config?.env?.GREETING)).toEqual(["tampered"]);
    expect(await fly().leaseOverlaps(healed)).toBe(0);
  });

  it("a destroyed machine comes back on the next tick", async () => {
    const s = uniqueSuffix();
    const name = `gone-${s}`;
    const config = await newRepo("config");
    await config.commit({
      "project.yaml": "project: root\ncommon:\n  app_defaults:\n    sync:\n      self_heal: true\n",
      "a/app.yaml": `${imageApp(name)}machines:\n  count: 2\n`,
    });
    const stub = await deployedProject(config, [name]);
    const [first] = await machines(name);
    await client().deleteMachine(name, first!.id, { force: true });
    expect(await machines(name)).toHaveLength(1);
    await stub.tick(new Date().toISOString());
    await deploysSettled([name]);
    expect(await machines(name)).toHaveLength(2);
    const detected = (await appEvents(name)).filter((e) => e.type === "drift.detected");
    expect(detected[0]?.data).toMatchObject({ planSummary: { "machines.create": 1 } });
  });
});
