import { describe, expect, it } from "vitest";
import type { StoredEvent } from "../../../src/durable/contract";
import { upcasterFrom } from "../../../src/durable/event-store";

const base: StoredEvent = { seq: 1, type: "thing.happened", v: 1, at: "2026-01-01T00:00:00.000Z", key: "k", data: {} };

describe("upcasterFrom", () => {
  const upcast = upcasterFrom({
    "thing.happened": {
      1: (data) => ({ ...data, name: data.title ?? "unnamed" }),
      2: ({ title: _title, ...rest }) => ({ ...rest, tags: [] }),
    },
  });

  it("chains v1 → v2 → v3", () => {
    const out = upcast({ ...base, data: { title: "x" } });
    expect(out.v).toBe(3);
    expect(out.data).toEqual({ name: "x", tags: [] });
  });

  it("starts from the stored version", () => {
    expect(upcast({ ...base, v: 2, data: { name: "y", title: "old" } })).toMatchObject({
      v: 3,
      data: { name: "y", tags: [] },
    });
  });

  it("leaves current versions and other types alone", () => {
    const current = { ...base, v: 3, data: { name: "z", tags: ["a"] } };
    expect(upcast(current)).toBe(current);
    const other = { ...base, type: "other" };
    expect(upcast(other)).toBe(other);
  });
});
