import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { EventStore, type NewEvent, upcasterFrom } from "../../../src/durable/event-store";
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
});
