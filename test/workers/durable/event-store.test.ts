import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { EventSourced } from "../../../src/durable/event-sourced";
import { EventStore, type NewEvent, upcasterFrom } from "../../../src/durable/event-store";
import { compactLog } from "../../../src/durable/retention";
import { StorageError } from "../../../src/errors";

const at = "2026-01-01T00:00:00.000Z";
const ev = (key: string, data: object = {}): NewEvent => ({ type: "test.happened", v: 1, at, key, data });

/** Runs `fn` against a fresh store inside a real SQLite-backed Durable Object. */
async function withStore<T>(fn: (store: EventStore, storage: DurableObjectStorage) => T): Promise<T> {
  const stub = env.APP.get(env.APP.newUniqueId());
  return runInDurableObject(stub, (_instance, state) => {
    const store = new EventStore(state.storage);
    store.migrate();
    return fn(store, state.storage);
  });
}

describe("EventStore (workerd SQLite)", () => {
  it("appends with seq numbers per stream and reads after a seq", async () => {
    await withStore((store) => {
      expect(store.append("a", [ev("1", { n: 1 }), ev("2", { n: 2 })], 0)).toMatchObject({
        version: 2,
        duplicate: false,
      });
      expect(store.append("b", [ev("3")], 0).version).toBe(1);
      expect(store.append("a", [ev("4", { n: 4 })], 2).version).toBe(3);
      expect(store.read("a", 1, 10).map((e) => [e.seq, e.key, e.data])).toEqual([
        [2, "2", { n: 2 }],
        [3, "4", { n: 4 }],
      ]);
      expect(store.read("a", 0, 1).map((e) => e.seq)).toEqual([1]);
      expect([...store.readAll("a", 2)].map((e) => e.seq)).toEqual([1, 2, 3]);
      expect(store.version("missing")).toBe(0);
    });
  });

  it("rejects a stale expected version with a typed conflict and appends nothing", async () => {
    await withStore((store) => {
      store.append("a", [ev("1")], 0);
      let error: unknown;
      try {
        store.append("a", [ev("2")], 0);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(StorageError);
      expect(error).toMatchObject({ code: "conflict", data: { stream: "a", expected: 0, actual: 1 } });
      expect(store.version("a")).toBe(1);
      expect(store.byKey("2")).toBeNull();
    });
  });

  it("is idempotent by key: a repeated key returns the stored event and reports a duplicate", async () => {
    await withStore((store) => {
      store.append("a", [ev("same", { first: true })], 0);
      const again = store.append("a", [ev("same", { first: false })], 0);
      expect(again.duplicate).toBe(true);
      expect(again.events).toMatchObject([{ seq: 1, data: { first: true } }]);
      expect(store.read("a")).toHaveLength(1);
      // A batch mixing a stored key and a new one appends only the new one.
      const mixed = store.append("a", [ev("same"), ev("new")], "any");
      expect(mixed).toMatchObject({ duplicate: false, version: 2 });
      expect(mixed.events.map((e) => e.key)).toEqual(["same", "new"]);
    });
  });

  it("rejects a batch that repeats a key, appending none of it", async () => {
    await withStore((store) => {
      expect(() => store.append("a", [ev("x"), ev("x")], 0)).toThrow(StorageError);
      expect(store.version("a")).toBe(0);
    });
  });

  it("never lets SQL rewrite history: seq and key are unique", async () => {
    await withStore((store, storage) => {
      store.append("a", [ev("1")], 0);
      expect(() =>
        storage.sql.exec(
          "INSERT INTO events (stream, seq, type, v, at, key, data) VALUES ('a', 1, 't', 1, ?, 'other', '{}')",
          at,
        ),
      ).toThrow(/UNIQUE/);
      expect(() =>
        storage.sql.exec(
          "INSERT INTO events (stream, seq, type, v, at, key, data) VALUES ('a', 2, 't', 1, ?, '1', '{}')",
          at,
        ),
      ).toThrow(/UNIQUE/);
    });
  });

  it("upgrades old event versions when read", async () => {
    const stub = env.APP.get(env.APP.newUniqueId());
    await runInDurableObject(stub, (_instance, state) => {
      new EventStore(state.storage).migrate();
      new EventStore(state.storage).append("a", [ev("old", { title: "t" })], 0);
      const store = new EventStore(state.storage, upcasterFrom({ "test.happened": { 1: (d) => ({ name: d.title }) } }));
      expect(store.read("a")).toMatchObject([{ v: 2, data: { name: "t" } }]);
      expect(store.byKey("old")).toMatchObject({ v: 2 });
    });
  });

  it("keeps state rows outside the log", async () => {
    await withStore((store) => {
      expect(store.getState("lastChecked")).toBeNull();
      store.putState("lastChecked", { at });
      store.putState("lastChecked", { at: "later" });
      expect(store.getState("lastChecked")).toEqual({ at: "later" });
      expect(store.version("lastChecked")).toBe(0);
    });
  });

  // Issue 16: retention, the one DELETE. Would fail on the old code: there was no compact.
  it("compacts an old prefix up to a seq, keeps the newest event and the version, and frees its keys", async () => {
    await withStore((store) => {
      const old = (key: string, when: string): NewEvent => ({ ...ev(key), at: when });
      store.append(
        "a",
        [
          old("1", "2024-01-01T00:00:00.000Z"),
          old("2", "2024-01-02T00:00:00.000Z"),
          old("3", "2026-01-01T00:00:00.000Z"),
        ],
        0,
      );
      store.append("b", [old("b1", "2024-01-01T00:00:00.000Z")], 0);
      // Not past `upTo`, at most `limit`, only while older than `before`.
      expect(store.compact("a", 1, "2025-01-01T00:00:00.000Z", 10)).toBe(1);
      expect(store.first("a")).toBe(2);
      expect(store.compact("a", 3, "2025-01-01T00:00:00.000Z", 10)).toBe(1);
      expect(store.compact("a", 3, "2027-01-01T00:00:00.000Z", 10)).toBe(0);
      // The newest event stays: the stream's version is its last seq, and appends go on from it.
      expect(store.read("a").map((e) => e.seq)).toEqual([3]);
      expect(store.version("a")).toBe(3);
      expect(store.append("a", [ev("1")], 3).version).toBe(4);
      expect(store.compact("b", 1, "2025-01-01T00:00:00.000Z", 10)).toBe(0);
      expect(store.first("b")).toBe(1);
      expect(store.first("missing")).toBe(0);
    });
  });

  // A project's state holds every app; a Durable Object's SQLite caps a row at 2 MB. Would fail on
  // the old code: there was no putText, and a snapshot was one state row.
  it("keeps a text larger than one row in parts, and replaces it whole with fewer parts", async () => {
    await withStore((store, storage) => {
      const big = 'é"'.repeat(1_500_000);
      store.putText("snap", big);
      expect(store.getText("snap")).toBe(big);
      const parts = () =>
        storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM state WHERE name LIKE 'snap#%'").one().n;
      expect(parts()).toBe(12);
      store.putText("snap", "small");
      expect(store.getText("snap")).toBe("small");
      expect(parts()).toBe(1);
      expect(store.getText("missing")).toBeNull();
    });
  });

  it("snapshots a state larger than one row and wakes from it without the log's prefix", async () => {
    type S = { version: number; items: string[] };
    const decider = {
      decide: (command: { n: number }) => [
        { type: "test.grew", v: 1, at: "2024-01-01T00:00:00.000Z", key: `k${command.n}`, data: { n: command.n } },
      ],
      evolve: (state: S, event: { data: { n: number } }, seq: number): S => ({
        version: seq,
        items: [...state.items, `${event.data.n}:${"x".repeat(1_000)}`],
      }),
      initialState: (): S => ({ version: 0, items: [] }),
    };
    await withStore((store) => {
      const log = new EventSourced(store, "grow", decider, { every: 3_000, shape: 1 });
      log.load();
      for (let n = 1; n <= 3_001; n++) log.execute({ n });
      expect(log.snapshotVersion).toBe(3_000);
      // 3 MB of state: over the row cap, so the snapshot is in parts.
      expect(JSON.stringify(log.state).length).toBeGreaterThan(3_000_000);
      expect(store.compact("grow", log.snapshotVersion, "2025-01-01T00:00:00.000Z", 5_000)).toBe(3_000);
      const woken = new EventSourced(store, "grow", decider, { every: 3_000, shape: 1 });
      woken.load();
      expect(woken.state).toEqual(log.state);
      // Another shape cannot rebuild a compacted log: the wake says so instead of folding a part.
      const other = new EventSourced(store, "grow", decider, { every: 3_000, shape: 2 });
      expect(() => other.load()).toThrow(/snapshot_shape|was compacted/);
    });
  });

  // Issue 13 §6: a flood of recent events (new delivery ids) is bounded by count, not only by age.
  // Would fail on the old code: recent events were never dropped.
  it("keeps at most maxEvents of a log, however recent, and never past its snapshot", async () => {
    const decider = {
      decide: (command: { n: number }) => [
        { type: "test.pushed", v: 1, at: new Date().toISOString(), key: `p${command.n}`, data: {} },
      ],
      evolve: (_state: { version: number }, _event: unknown, seq: number) => ({ version: seq }),
      initialState: () => ({ version: 0 }),
    };
    await withStore((store) => {
      const log = new EventSourced(store, "flood", decider, { every: 40, shape: 1 });
      log.load();
      for (let n = 1; n <= 100; n++) log.execute({ n });
      const clock = { now: Date.now(), windowMs: 90 * 86_400_000, maxEvents: 30 };
      // Snapshot at 80: the cap would drop 70, the snapshot allows all of them.
      expect(compactLog(log, { ...clock, limit: 50 })).toBe(50);
      expect(compactLog(log, clock)).toBe(20);
      expect(store.first("flood")).toBe(71);
      expect(compactLog(log, clock)).toBe(0);
      // Not past the snapshot: with one at 80 and 25 more events, at most 80 go.
      for (let n = 101; n <= 125; n++) log.execute({ n });
      expect(log.snapshotVersion).toBe(120);
      expect(compactLog(log, { ...clock, maxEvents: 1 })).toBe(120 - 70);
      expect(store.first("flood")).toBe(121);
      expect(compactLog(log, { ...clock, maxEvents: 1_000 })).toBe(0);
    });
  });
});
