import { createExecutionContext, createScheduledController, env } from "cloudflare:test";
import { describe, expect, inject, it } from "vitest";
import type { TowerEnv } from "../../../src/env";
import worker from "../../../src/worker/index";
import { flySimControl } from "../../fly-sim/control";
import { appStub, projectStub } from "../do-stubs";
import { arrivedMidDeployWithoutOverlap, deployRunning, eventsOf } from "../durable/app/fixtures";
import {
  deployCount,
  deployedProject,
  deploysSettled,
  eventsAfter,
  gitAppDeployed,
  imageApp,
  lastSeq,
  newRepo,
  pushAndSettle,
  pushOf,
  settle,
  uniqueSuffix,
  waitFor,
} from "./given";

const fly = () => flySimControl(inject("flyUrl"));

async function flyRequests(names: string[]): Promise<number> {
  const counts = await Promise.all(names.map(async (name) => (await fly().requests(name)).length));
  return counts.reduce((a, b) => a + b, 0);
}

describe("ProjectDO → AppDO → Fly simulator", () => {
  it("a config push changing one app of five deploys exactly that app; an idle tick calls Fly not at all", async () => {
    const s = uniqueSuffix();
    const names = ["a", "b", "c", "d", "e"].map((n) => `${n}-${s}`);
    const config = await newRepo("config");
    const files: Record<string, string> = { "project.yaml": "project: root\n" };
    for (const name of names) files[`apps/${name}/app.yaml`] = imageApp(name);
    const first = await config.commit(files);
    const stub = await deployedProject(config, names);
    for (const name of names) expect((await appStub(env, name).summary())?.status).toBe("synced");
    const before = await Promise.all(names.map(deployCount));
    expect(before).toEqual([1, 1, 1, 1, 1]);
    expect(await flyRequests(names)).toBeGreaterThan(0);

    const second = await config.commit({ [`apps/${names[2]}/app.yaml`]: imageApp(names[2]!, "28") });
    await pushAndSettle(stub, config, first, second);
    await deploysSettled(names);
    const after = await Promise.all(names.map(deployCount));
    expect(after.map((n, i) => n - before[i]!)).toEqual([0, 0, 1, 0, 0]);
    expect((await appStub(env, names[2]!).summary())?.status).toBe("synced");

    // Nothing changed since: a cron tick lists refs, appends nothing and makes no Fly request.
    const seq = await lastSeq(stub);
    const requests = await flyRequests(names);
    await stub.tick(new Date().toISOString());
    expect(await lastSeq(stub)).toBe(seq);
    expect(await flyRequests(names)).toBe(requests);
  });
});

describe("pushes in quick succession", () => {
  // Machines without checks pass the smoke gate first (SMOKE_WINDOW_MS, 1 s in tests).
  it(
    "a config push arriving mid-deploy: deploys never overlap and the app ends at the second commit",
    { timeout: 20_000 },
    async () => {
      const s = uniqueSuffix();
      const name = `twice-${s}`;
      const config = await newRepo("config");
      const first = await config.commit({ "project.yaml": "project: root\n", "a/app.yaml": imageApp(name) });
      const stub = await deployedProject(config, [name]);
      // Slow Fly calls keep the deploy of `second` at work when `third` is pushed.
      await fly().setFaults({ latencyMs: 100 }, name);
      const second = await config.commit({ "a/app.yaml": imageApp(name, "28") });
      await pushAndSettle(stub, config, first, second);
      await deployRunning(appStub(env, name));
      const third = await config.commit({ "a/app.yaml": imageApp(name, "29") });
      await pushAndSettle(stub, config, second, third);
      await deploysSettled([name]);
      expect((await stub.configStatus()).commit).toBe(third);
      const summary = await appStub(env, name).summary();
      expect(summary?.status).toBe("synced");
      expect(summary?.deployed.configHash).toBe(summary?.desired.configHash);
      await fly().clearFaults(name);
      arrivedMidDeployWithoutOverlap(await eventsOf(appStub(env, name)), summary!.desired.configHash!);
      const evaluated = (await eventsAfter(stub, 0)).filter((e) => e.type === "config.evaluated").at(-1);
      expect((evaluated?.data.apps as { name: string; configHash: string }[])[0]?.configHash).toBe(
        summary?.desired.configHash,
      );
      expect(await fly().leaseOverlaps(name)).toBe(0);
    },
  );
});

describe("cron, admin sync and prune", () => {
  it("the scheduled() handler ticks the root project named by env", async () => {
    const s = uniqueSuffix();
    const config = await newRepo("config");
    const first = await config.commit({ "project.yaml": "project: root\n", "a/app.yaml": imageApp(`cron-${s}`) });
    const rootEnv = { ...env, CONFIG_REPO: config.url, CONFIG_REF: "main", CONFIG_PATH: "." };
    // The DO reads its settings from its own env; a test points it at the repo explicitly.
    await projectStub(rootEnv).configure({ repo: config.url });
    await worker.scheduled!(createScheduledController(), rootEnv as unknown as TowerEnv, createExecutionContext());
    expect((await projectStub(rootEnv).configStatus()).commit).toBe(first);
    await deploysSettled([`cron-${s}`]);
    expect((await appStub(env, `cron-${s}`).summary())?.status).toBe("synced");
  });

  it("requestSync with force redeploys an unchanged app", async () => {
    const s = uniqueSuffix();
    const config = await newRepo("config");
    await config.commit({ "project.yaml": "project: root\n", "a/app.yaml": imageApp(`force-${s}`) });
    const stub = await deployedProject(config, [`force-${s}`]);
    await stub.requestSync({ force: false, cause: "admin" });
    await settle(stub);
    await deploysSettled([`force-${s}`]);
    expect(await deployCount(`force-${s}`)).toBe(1);
    await stub.requestSync({ force: true, cause: "admin" });
    await settle(stub);
    await deploysSettled([`force-${s}`]);
    expect(await deployCount(`force-${s}`)).toBe(2);
  });

  it("leaves apps removed from config alone, and destroys them with prune: true after a second evaluation", async () => {
    const s = uniqueSuffix();
    const [kept, pruned] = [`kept-${s}`, `pruned-${s}`];
    const config = await newRepo("config");
    const first = await config.commit({
      "project.yaml": "project: root\n",
      "a/app.yaml": imageApp(kept),
      "b/app.yaml": imageApp(pruned),
    });
    const stub = await deployedProject(config, [kept, pruned]);
    const second = await config.commit({ "a/app.yaml": null });
    await pushAndSettle(stub, config, first, second);
    expect((await fly().state(kept)).apps.map((a) => a.name)).toContain(kept);
    const third = await config.commit({ "project.yaml": "project: root\nprune: true\n", "b/app.yaml": null });
    await pushAndSettle(stub, config, second, third);
    // Prune waits one more full, successful evaluation (a rename must not delete on the first).
    const pending = (await eventsAfter(stub, 0)).filter((e) => e.type === "app.prune-pending");
    expect(pending.map((e) => e.data.app)).toEqual([pruned]);
    expect((await fly().state(pruned)).apps.map((a) => a.name)).toContain(pruned);
    const fourth = await config.commit({ "README.md": "still no b\n" });
    await pushAndSettle(stub, config, third, fourth);
    const removed = (await eventsAfter(stub, 0)).filter((e) => e.type === "app.removed").map((e) => e.data);
    expect(removed).toEqual([
      { app: kept, prune: false, cause: expect.stringMatching(/^push:/) },
      { app: pruned, prune: true, cause: expect.stringMatching(/^push:/) },
    ]);
    await waitFor(async () => !(await fly().state(pruned)).apps.some((a) => a.name === pruned));
    expect((await fly().state(kept)).apps.map((a) => a.name)).toContain(kept);
    expect((await stub.listApps()).map((a) => a.name)).toEqual([]);
  });
});

describe("app-repo pushes reach Fly", () => {
  // Machines without checks pass the smoke gate first (SMOKE_WINDOW_MS, 1 s in tests).
  it(
    "a push on the tracked branch deploys that app at the new commit; another branch deploys nothing",
    { timeout: 20_000 },
    async () => {
      const name = `src-${uniqueSuffix()}`;
      const { api, c1, stub } = await gitAppDeployed(name);
      const attempts = async () => (await appStub(env, name).deploys({ limit: 10 })).items.map((d) => d.sourceCommit);
      expect(await attempts()).toEqual([c1]);
      expect((await appStub(env, name).summary())?.deployed.sourceCommit).toBe(c1);

      const c2 = await api.commit({ Dockerfile: "FROM nginx:2\n" });
      await stub.recordPush(pushOf(api, "refs/heads/main", c1, c2));
      const c3 = await api.commit({ Dockerfile: "FROM nginx:3\n" }, { branch: "feature", parent: c2 });
      await stub.recordPush(pushOf(api, "refs/heads/feature", c2, c3));
      await settle(stub);
      await deploysSettled([name]);
      expect(await attempts()).toEqual([c2, c1]);
      expect(await appStub(env, name).summary()).toMatchObject({ status: "synced", deployed: { sourceCommit: c2 } });
    },
  );

  it(
    "a push is a doorbell: an old commit in the payload deploys what the branch points to; a replay deploys nothing",
    { timeout: 20_000 },
    async () => {
      const name = `bell-${uniqueSuffix()}`;
      const { api, c1, stub } = await gitAppDeployed(name);
      const c2 = await api.commit({ Dockerfile: "FROM nginx:2\n" });
      // A forged or replayed delivery naming c1 (a rollback by replay) only rings the bell.
      await pushAndSettle(stub, api, c2, c1);
      await deploysSettled([name]);
      const attempts = async () => (await appStub(env, name).deploys({ limit: 10 })).items.map((d) => d.sourceCommit);
      expect(await attempts()).toEqual([c2, c1]);
      // The same push under a new delivery id: one ref listing, nothing routed, no deploy.
      const replay = await pushAndSettle(stub, api, c1, c2);
      const handled = (await eventsAfter(stub, 0)).filter((e) => e.data.deliveryId === replay.deliveryId);
      expect(handled.map((e) => e.type)).toEqual(["push.ignored"]);
      expect(await attempts()).toEqual([c2, c1]);
    },
  );
});
