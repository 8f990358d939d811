import { env, runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, inject, it } from "vitest";
import type { StoredEvent } from "../../../../src/durable/contract";
import { createRepo } from "../../../support/fixture-repo";
import { appStub } from "../../do-stubs";

const fresh = (name: string) => env.PROJECT.get(env.PROJECT.idFromName(`${name}-${crypto.randomUUID()}`));

describe("ProjectDO", () => {
  it("takes its settings from env until configure() overrides them", async () => {
    const stub = fresh("settings");
    expect(await stub.configStatus()).toEqual({
      repo: env.CONFIG_REPO,
      ref: env.CONFIG_REF,
      path: env.CONFIG_PATH,
      commit: null,
      lastEvaluation: null,
      errors: [],
      lastTick: null,
    });
    await stub.configure({ repo: "https://git.example/acme/config.git", ref: "refs/tags/live" });
    expect(await stub.configStatus()).toMatchObject({
      repo: "https://git.example/acme/config.git",
      ref: "refs/tags/live",
    });
    expect(await stub.listApps()).toEqual([]);
  });

  it("never shows credentials written into the repo URL", async () => {
    const stub = fresh("credentials");
    await stub.configure({ repo: "https://x-access-token:ghp_s3cr3t@github.com/acme/config.git" });
    const status = await stub.configStatus();
    expect(status.repo).toBe("https://github.com/acme/config.git");
    expect(JSON.stringify(status)).not.toContain("ghp_s3cr3t");
  });

  it("records a config repo that cannot be fetched as a failure naming the repo, and retries on the next tick", async () => {
    const stub = fresh("missing");
    await stub.configure({ repo: `${inject("gitUrl")}/does-not-exist.git` });
    await stub.tick("2026-01-01T00:00:00.000Z");
    const events = (await stub.events(0, 100)) as unknown as StoredEvent[];
    expect(events.map((e) => e.type)).toEqual(["config.failed"]);
    expect(events[0]?.data).toMatchObject({ stage: "fetch", commit: null });
    const status = await stub.configStatus();
    expect(status.errors[0]?.message).toMatch(/does-not-exist/);
    expect(status.commit).toBeNull();
  });

  it("follows a tag when CONFIG_REF names one, and pages its log", async () => {
    const repo = await createRepo(inject("gitUrl"), "tagged");
    const v1 = await repo.commit({ "project.yaml": "project: root\n" });
    await repo.commit({ "project.yaml": "project: root\nprune: false\n" });
    await repo.tag("live", v1);
    const stub = fresh("tagged");
    await stub.configure({ repo: repo.url, ref: "refs/tags/live" });
    await stub.tick("2026-01-01T00:00:00.000Z");
    expect((await stub.configStatus()).commit).toBe(v1);
    const all = (await stub.events(0, 100)) as unknown as StoredEvent[];
    expect(all.map((e) => e.type)).toEqual(["config.fetched", "config.evaluated"]);
    expect(((await stub.events(1, 100)) as unknown as StoredEvent[]).map((e) => e.seq)).toEqual([2]);
    expect(await stub.events(0, 1)).toHaveLength(1);
  });

  it("a config repo that stays unfetchable is logged once, not once per tick; the repeat moves a state row", async () => {
    const stub = fresh("still-missing");
    await stub.configure({ repo: `${inject("gitUrl")}/still-missing.git` });
    for (const at of ["2026-01-01T00:00:00.000Z", "2026-01-01T00:01:00.000Z", "2026-01-01T00:02:00.000Z"])
      await stub.tick(at);
    const events = (await stub.events(0, 100)) as unknown as StoredEvent[];
    expect(events.map((e) => e.type)).toEqual(["config.failed"]);
    expect((await stub.backlog()).configFailure).toMatchObject({
      at: "2026-01-01T00:02:00.000Z",
      stage: "fetch",
      cause: "initial:2026-01-01T00:02:00.000Z",
    });
    // Once it can be fetched, a later failure is news again.
    const repo = await createRepo(inject("gitUrl"), "appears");
    await repo.commit({ "project.yaml": "project: root\n" });
    await stub.configure({ repo: repo.url });
    await stub.tick("2026-01-01T00:03:00.000Z");
    await stub.configure({ repo: `${inject("gitUrl")}/still-missing.git` });
    await stub.requestSync({ force: false, cause: "admin" });
    await alarmNow(stub);
    // The alarm requestSync set may have fired on its own and still be running: wait for that pass.
    await stub.backlog();
    const types = ((await stub.events(0, 100)) as unknown as StoredEvent[]).map((e) => e.type);
    expect(types.filter((t) => t === "config.failed")).toHaveLength(2);
  });

  it("configuredApp answers from config alone: pending before its AppDO knows it, null for a name not in config", async () => {
    const repo = await createRepo(inject("gitUrl"), "configured");
    const name = `configured-${crypto.randomUUID().slice(0, 8)}`;
    await repo.commit({
      "project.yaml": "project: root\n",
      "a/app.yaml": `app: ${name}\norg: personal\nprimary_region: arn\nsource:\n  type: image\n  image: nginx\n`,
    });
    const stub = fresh("configured");
    await stub.configure({ repo: repo.url });
    // Every delivery fails: the AppDO never hears of the app, so the answer cannot come from it.
    await stub.testHook({ refuseDeliveries: 100 });
    await stub.tick(new Date().toISOString());
    expect(await appStub(env, name).summary()).toBeNull();
    expect(await stub.configuredApp(name)).toMatchObject({ name, status: "pending", lastDeploy: null });
    expect(await stub.configuredApp(`${name}-typo`)).toBeNull();
    expect(await stub.configuredApp("constructor")).toBeNull();
  });

  it("an app that cannot be told is retried by an alarm with backoff, not at the next tick", async () => {
    const repo = await createRepo(inject("gitUrl"), "outbox");
    const name = `outbox-${crypto.randomUUID().slice(0, 8)}`;
    await repo.commit({
      "project.yaml": "project: root\n",
      "a/app.yaml": `app: ${name}\norg: personal\nprimary_region: arn\nsource:\n  type: image\n  image: nginx\n`,
    });
    const stub = fresh("outbox");
    await stub.configure({ repo: repo.url });
    // The AppDO is unreachable for the first two deliveries.
    await stub.testHook({ refuseDeliveries: 2 });
    const retryState = async () => {
      const { alarmAt, deliveryRetry } = await stub.backlog();
      return { alarm: alarmAt, row: deliveryRetry };
    };
    const before = Date.now();
    await stub.tick(new Date().toISOString());
    const first = await retryState();
    expect(first.row).toEqual({ attempts: 1 });
    expect(first.alarm).toBeGreaterThanOrEqual(before + 1000);
    expect(first.alarm).toBeLessThan(before + 1000 + 5000);
    expect(await appStub(env, name).summary()).toBeNull();

    const beforeSecond = Date.now();
    await alarmNow(stub);
    const second = await retryState();
    expect(second.row).toEqual({ attempts: 2 });
    expect(second.alarm).toBeGreaterThanOrEqual(beforeSecond + 2000);

    await alarmNow(stub);
    const third = await retryState();
    expect(third.row).toBeNull();
    expect(third.alarm).toBeNull();
    expect((await appStub(env, name).summary())?.desired.configHash).toMatch(/\S/);
  });
  it("records pushes delivered at once together: each answered with its own seq, a repeat within them a duplicate", async () => {
    const stub = fresh("together");
    const push = (deliveryId: string) => ({
      provider: "github" as const,
      deliveryId,
      repo: "github.com/acme/elsewhere",
      ref: "refs/heads/main",
      before: "0".repeat(40),
      after: "a".repeat(40),
      deleted: false,
      receivedAt: new Date().toISOString(),
    });
    const answers = await Promise.all(["a", "b", "a", "c"].map((id) => stub.recordPush(push(id))));
    expect(answers.map((a) => a.duplicate)).toEqual([false, false, true, false]);
    expect(answers[2]!.seq).toBe(answers[0]!.seq);
    expect(new Set(answers.map((a) => a.seq)).size).toBe(3);
    const received = ((await stub.events(0, 100)) as unknown as StoredEvent[]).filter(
      (e) => e.type === "push.received",
    );
    expect(received.map((e) => e.key).sort()).toEqual(["push:a", "push:b", "push:c"]);
  });
});

/** Runs the alarm now, unless it already fired by itself, and waits for its pass to end. */
async function alarmNow(stub: ReturnType<typeof fresh>) {
  await runDurableObjectAlarm(stub);
  await stub.backlog(); // answers once the pass in flight has ended
}
