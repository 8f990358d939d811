import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { appStub } from "../do-stubs";
import {
  eventsAfter,
  gitApp,
  imageApp,
  lastSeq,
  newRepo,
  project,
  pushAndSettle,
  pushOf,
  settle,
  told,
  uniqueSuffix,
} from "./given";

const ZERO = "0".repeat(40);

/** Five image apps in `apps/`, two of them in a nested project with its own app_defaults. */
async function fiveApps() {
  const s = uniqueSuffix();
  const names = ["a", "b", "c", "d", "e"].map((n) => `${n}-${s}`);
  const config = await newRepo("config");
  const first = await config.commit({
    "project.yaml": "project: root\n",
    "apps/a/app.yaml": imageApp(names[0]!),
    "apps/b/app.yaml": imageApp(names[1]!),
    "apps/c/app.yaml": imageApp(names[2]!),
    "team/project.yaml": "project: team\ncommon:\n  app_defaults:\n    env:\n      LEVEL: one\n",
    "team/d/app.yaml": imageApp(names[3]!),
    "team/e/app.yaml": imageApp(names[4]!),
  });
  const stub = await project(config);
  await stub.tick(new Date().toISOString());
  return { config, first, stub, names };
}

describe("ProjectDO sync, end to end (real git server)", () => {
  it("reads the config on first tick and tells every app, which then knows its desired hash", async () => {
    const { stub, names, first } = await fiveApps();
    const events = await eventsAfter(stub, 0);
    expect(events.map((e) => e.type).slice(0, 2)).toEqual(["config.fetched", "config.evaluated"]);
    expect(told(events)).toEqual([...names].sort());
    const status = await stub.configStatus();
    expect(status).toMatchObject({ commit: first, errors: [], lastEvaluation: { commit: first, ok: true, apps: 5 } });
    const summary = await appStub(env, names[0]!).summary();
    expect(summary?.desired.configHash).toMatch(/\S/);
    const apps = await stub.listApps();
    expect(apps.map((a) => a.name)).toEqual([...names].sort());
  });

  it("a config push changing one app of five tells exactly that app", async () => {
    const { config, first, stub, names } = await fiveApps();
    const before = await lastSeq(stub);
    const hashBefore = (await appStub(env, names[1]!).summary())?.desired.configHash;
    const second = await config.commit({ "apps/c/app.yaml": imageApp(names[2]!, "28") });
    const recorded = await stub.recordPush(pushOf(config, "refs/heads/main", first, second));
    expect(recorded.duplicate).toBe(false);
    await settle(stub);
    const events = await eventsAfter(stub, before);
    expect(events.map((e) => e.type)).toEqual([
      "push.received",
      "push.routed",
      "config.fetched",
      "config.evaluated",
      "app.desired",
    ]);
    expect(told(events)).toEqual([names[2]]);
    expect((await appStub(env, names[1]!).summary())?.desired.configHash).toBe(hashBefore);
  });

  it("a push changing a parent project's app_defaults tells exactly its apps", async () => {
    const { config, first, stub, names } = await fiveApps();
    const before = await lastSeq(stub);
    const second = await config.commit({
      "team/project.yaml": "project: team\ncommon:\n  app_defaults:\n    env:\n      LEVEL: two\n",
    });
    await pushAndSettle(stub, config, first, second);
    expect(told(await eventsAfter(stub, before))).toEqual([names[3], names[4]]);
  });

  it("records the same delivery once", async () => {
    const { config, first, stub } = await fiveApps();
    const push = pushOf(config, "refs/heads/feature", first, first);
    const one = await stub.recordPush(push);
    const two = await stub.recordPush(push);
    expect(two).toEqual({ duplicate: true, seq: one.seq });
    await settle(stub);
    const received = (await eventsAfter(stub, 0)).filter((e) => e.type === "push.received");
    expect(received).toHaveLength(1);
  });

  it("a pass cut short after config.fetched is finished by the next tick, though the ref did not move", async () => {
    const { config, stub, names } = await fiveApps();
    const second = await config.commit({ "apps/c/app.yaml": imageApp(names[2]!, "28") });
    // The eviction: the fetch of `second` is in the log, its evaluation never happened.
    await stub.testHook({
      apply: { type: "record-fetch", commit: second, ref: "refs/heads/main", cause: "cut", at: "t" },
    });
    const before = await lastSeq(stub);
    await stub.tick(new Date().toISOString());
    const events = await eventsAfter(stub, before);
    expect(events.map((e) => e.type)).toEqual(["config.fetched", "config.evaluated", "app.desired"]);
    expect(told(events)).toEqual([names[2]]);
    expect((await stub.configStatus()).lastEvaluation?.commit).toBe(second);
  });

  it("a redelivered push still in the inbox re-arms the alarm its first delivery never set", async () => {
    const { config, first, stub } = await fiveApps();
    const push = pushOf(config, "refs/heads/main", first, first);
    // The cut: the push is appended, the alarm never set.
    await stub.testHook({ apply: { type: "record-push", push, at: "t" } });
    await runInDurableObject(stub, (_, state) => state.storage.deleteAlarm());
    expect((await stub.recordPush(push)).duplicate).toBe(true);
    await settle(stub); // runs the alarm, if one is set; no tick
    const routed = (await eventsAfter(stub, 0)).filter((e) => e.data.deliveryId === push.deliveryId);
    // Handled: Tower listed the ref, found the config at `first` (evaluated already), read nothing.
    expect(routed.map((e) => e.type)).toEqual(["push.ignored"]);
    expect((await stub.backlog()).inbox).toBe(0);
  });

  it("a broken app.yaml records its error with file:line, keeps that app and still tells the others", async () => {
    const { config, first, stub, names } = await fiveApps();
    const before = await lastSeq(stub);
    const second = await config.commit({
      "apps/a/app.yaml": `app: ${names[0]}\norg: personal\nprimary_region: 42\n`,
      "apps/b/app.yaml": imageApp(names[1]!, "29"),
    });
    await pushAndSettle(stub, config, first, second);
    const events = await eventsAfter(stub, before);
    expect(told(events)).toEqual([names[1]]);
    const evaluated = events.find((e) => e.type === "config.evaluated");
    expect(evaluated?.data.kept).toEqual([names[0]]);
    const status = await stub.configStatus();
    expect(status.errors[0]).toMatchObject({ file: "apps/a/app.yaml", line: 3 });
    expect(status.lastEvaluation).toMatchObject({ commit: second, ok: false, apps: 5 });
    expect((await stub.listApps()).map((a) => a.name)).toContain(names[0]);
  });

  it("a broken project.yaml deploys nothing and keeps every app", async () => {
    const { config, first, stub } = await fiveApps();
    const before = await lastSeq(stub);
    const second = await config.commit({ "project.yaml": "project: root\nprune: sometimes\n" });
    await pushAndSettle(stub, config, first, second);
    const events = await eventsAfter(stub, before);
    expect(events.map((e) => e.type)).toEqual(["push.received", "push.routed", "config.fetched", "config.failed"]);
    const status = await stub.configStatus();
    expect(status.errors[0]).toMatchObject({ file: "project.yaml", line: 2, col: 8 });
    expect(await stub.listApps()).toHaveLength(5);
  });

  it("routes app-repo pushes: tracked branch tells the app, other branches and deletions are ignored", async () => {
    const s = uniqueSuffix();
    const api = await newRepo("api");
    const c1 = await api.commit({ Dockerfile: "FROM nginx\n" });
    const config = await newRepo("config");
    await config.commit({
      "project.yaml": "project: root\n",
      "api/app.yaml": gitApp(`api-${s}`, api),
      "web/app.yaml": imageApp(`web-${s}`),
    });
    const stub = await project(config);
    await stub.tick(new Date().toISOString());
    expect((await appStub(env, `api-${s}`).summary())?.desired.sourceCommit).toBe(c1);

    const before = await lastSeq(stub);
    const c2 = await api.commit({ Dockerfile: "FROM nginx:2\n" });
    await stub.recordPush(pushOf(api, "refs/heads/main", c1, c2));
    const c3 = await api.commit({ Dockerfile: "FROM nginx:3\n" }, { branch: "feature", parent: c2 });
    await stub.recordPush(pushOf(api, "refs/heads/feature", c2, c3));
    await stub.recordPush(pushOf(api, "refs/heads/old", c1, ZERO));
    await settle(stub);
    const events = await eventsAfter(stub, before);
    expect(told(events)).toEqual([`api-${s}`]);
    expect(events.find((e) => e.type === "app.desired")?.data).toMatchObject({ sourceCommit: c2 });
    const ignored = events.filter((e) => e.type === "push.ignored").map((e) => e.data.ref);
    expect(ignored).toEqual(["refs/heads/feature", "refs/heads/old"]);
    expect((await appStub(env, `api-${s}`).summary())?.desired.sourceCommit).toBe(c2);
  });

  it("a cron tick with nothing changed appends nothing; a moved app ref is told", async () => {
    const s = uniqueSuffix();
    const api = await newRepo("api");
    await api.commit({ Dockerfile: "FROM nginx\n" });
    const config = await newRepo("config");
    await config.commit({ "project.yaml": "project: root\n", "api/app.yaml": gitApp(`api-${s}`, api) });
    const stub = await project(config);
    await stub.tick(new Date().toISOString());
    const before = await lastSeq(stub);
    await stub.tick(new Date().toISOString());
    expect(await lastSeq(stub)).toBe(before);

    const moved = await api.commit({ Dockerfile: "FROM nginx:2\n" });
    await stub.tick(new Date().toISOString());
    const events = await eventsAfter(stub, before);
    expect(events.map((e) => [e.type, e.data.sourceCommit])).toEqual([["app.desired", moved]]);
  });
});
