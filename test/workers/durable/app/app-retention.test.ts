// Issue 16: retention. Events older than RETENTION_DAYS (default 90) that a snapshot covers are
// dropped from the AppDO's log in bounded slices run from its alarm; deploy summaries stay. The
// clock is controlled through the seeded deploys' times (`from`) and `compactSlice`'s `now`.
// Would fail on the old code: nothing was ever removed (the first seq stayed 1), and
// testHistory had no `from`, `first` or `pending`.
import { abortAllDurableObjects, env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { AppLog } from "../../../../src/durable/app/app-log";
import { compactSlice } from "../../../../src/durable/app/retention";
import type { AppDO } from "../../../../src/durable/app-do";
import { retentionMs } from "../../../../src/durable/retention";
import { appStub } from "../../do-stubs";
import { allDeployIds, eventsOf } from "./fixtures";

const DAY = 86_400_000;
const unique = (prefix: string) => `${prefix}-${crypto.randomUUID().slice(0, 8)}`;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY).toISOString();
type Stub = ReturnType<typeof appStub>;
const logOf = (instance: unknown) => (instance as { log: AppLog }).log;

/** Runs the AppDO's alarms until none is pending (retention re-arms while more is due). */
async function drainAlarms(stub: Stub, name: string): Promise<void> {
  for (let i = 0; i < 50; i++) {
    await runDurableObjectAlarm(stub);
    if (!(await stub.testHistory(name, 0)).pending) return;
  }
  throw new Error("alarms still pending after 50 runs");
}

describe("AppDO retention", () => {
  it(
    "drops step events older than the window, keeps every deploy summary, and wakes to the same state",
    { timeout: 60_000 },
    async () => {
      const name = unique("retain");
      const stub = appStub(env, name);
      // 40 deploys 200 days ago (440 events), then 5 yesterday (55 events): snapshots at 200 and 400.
      await stub.testHistory(name, 40, { from: daysAgo(200) });
      const seeded = await stub.testHistory(name, 5, { from: daysAgo(1) });
      expect(seeded).toMatchObject({ version: 495, first: 1, pending: true });

      await drainAlarms(stub, name);
      const after = await stub.testHistory(name, 0);
      // Old and covered by the snapshot at 400: gone. 401..440 are old but past the snapshot: kept.
      expect(after.first).toBe(401);
      const events = await eventsOf(stub);
      expect(events[0]?.seq).toBe(401);
      expect(events).toHaveLength(95);

      const ids = await allDeployIds(stub, 20);
      expect(ids).toHaveLength(45);
      expect(ids.at(-1)).toBe("seed-1");
      // An old deploy keeps its summary and detail, without its steps; a recent one keeps them too.
      expect(await stub.deploy("seed-1")).toMatchObject({
        outcome: "succeeded",
        release: 1,
        steps: [],
        compacted: true,
      });
      const recent = await stub.deploy("seed-41");
      expect(recent?.steps).toHaveLength(7);
      expect(recent).not.toHaveProperty("compacted");
      expect((await stub.deploy("seed-40"))?.compacted).toBe(true);

      const stateOf = (of: Stub) =>
        runInDurableObject(of as unknown as DurableObjectStub<AppDO>, (instance) =>
          JSON.stringify(logOf(instance).state),
        );
      const before = await stateOf(stub);
      // An eviction: the next call builds the object again from the compacted storage. Stubs of an
      // aborted object are broken: address the app afresh, as the Worker would.
      await abortAllDurableObjects();
      const again = appStub(env, name);
      const woken = await stateOf(again);
      expect(JSON.parse(woken)).toEqual(JSON.parse(before));
      expect(JSON.parse(woken)).toMatchObject({ version: 495, lastRelease: 45 });
      expect((await again.summary())?.lastDeploy).toMatchObject({ id: "seed-45", outcome: "succeeded" });
      expect((await again.deploys({ limit: 100 })).items).toHaveLength(45);
    },
  );

  it("keeps an all-recent log whole", { timeout: 30_000 }, async () => {
    const name = unique("recent");
    const stub = appStub(env, name);
    await stub.testHistory(name, 40, { from: daysAgo(10) });
    await drainAlarms(stub, name);
    expect(await stub.testHistory(name, 0)).toMatchObject({ version: 440, first: 1 });
  });

  it("keeps appending after retention dropped all but the newest event", { timeout: 30_000 }, async () => {
    const name = unique("newest");
    const stub = appStub(env, name);
    // 200 deploys = 2,200 events: the snapshot at 2,200 covers the whole log.
    await stub.testHistory(name, 200, { from: daysAgo(200) });
    await drainAlarms(stub, name);
    expect(await stub.testHistory(name, 0)).toMatchObject({ version: 2200, first: 2200 });
    const next = await stub.testHistory(name, 1, { from: daysAgo(0) });
    expect(next).toMatchObject({ version: 2211, first: 2200 });
    expect((await stub.summary())?.lastDeploy).toMatchObject({ id: "seed-201", release: 201 });
  });

  it("deletes a bounded slice per call, never while a deploy is queued, and only with a usable snapshot", async () => {
    const name = unique("slice");
    const stub = appStub(env, name);
    // Yesterday's deploys: the alarm the seeding arms finds nothing old enough; the clock moves here.
    await stub.testHistory(name, 40, { from: daysAgo(1) });
    await runInDurableObject(stub as unknown as DurableObjectStub<AppDO>, (instance, state) => {
      const log = logOf(instance);
      const windowMs = retentionMs(undefined);
      // A row from before steps had their own table: its steps are inside the record.
      const legacy = { ...log.history.detail("seed-40"), id: "legacy", steps: [{ name: "plan", outcome: "done" }] };
      state.storage.sql.exec(
        "INSERT INTO deploys (id, outcome, record) VALUES ('legacy', 'succeeded', ?)",
        JSON.stringify(legacy),
      );
      expect(log.history.detail("legacy")?.steps).toHaveLength(1);
      expect(compactSlice(log, { now: Date.now(), windowMs })).toEqual({ deleted: 0, compacted: 0, more: false });
      const later = Date.now() + 100 * DAY;
      expect(compactSlice(log, { now: later, windowMs, limit: 150 })).toEqual({
        deleted: 150,
        compacted: 41,
        more: true,
      });
      expect(log.store.first(log.stream)).toBe(151);
      expect(log.history.detail("seed-40")).toMatchObject({ steps: [], compacted: true });
      expect(log.history.detail("legacy")).toMatchObject({ steps: [], compacted: true });
      const rows = state.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM deploy_steps").one();
      expect(rows.n).toBe(0);
      // A snapshot of another shape cannot rebuild a compacted log: the wake says so, not a wrong state.
      const snapshot = log.store.getState<{ shape: number }>("snapshot/app");
      log.store.putState("snapshot/app", { ...snapshot, shape: -1 });
      expect(() => new AppLog(state.storage).load()).toThrow(/compacted/);
      log.store.putState("snapshot/app", snapshot);
      // A queued deploy: its alarm comes first, retention waits.
      log.execute({
        type: "desire",
        at: new Date().toISOString(),
        key: "k-new",
        deployId: "d-new",
        app: name,
        org: "personal",
        target: { configHash: "hash-new", sourceCommit: null, secretsDigest: "sha256:none" },
        cause: "test",
      });
      expect(log.state.queued).toBe("d-new");
      expect(compactSlice(log, { now: later, windowMs })).toEqual({ deleted: 0, compacted: 0, more: false });
      expect(log.store.first(log.stream)).toBe(151);
    });
  });
});
