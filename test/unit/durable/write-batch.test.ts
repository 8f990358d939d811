import { describe, expect, it } from "vitest";
import { settle, WriteBatch } from "../../../src/durable/write-batch";

describe("WriteBatch", () => {
  it("writes items that arrive together in one write, in order, and answers each caller with its own result", async () => {
    const writes: string[][] = [];
    const batch = new WriteBatch(async (items: string[]) => {
      writes.push(items);
      return items.map((item) => settle(() => (item === "bad" ? JSON.parse("{") : item.toUpperCase())));
    });
    const answers = await Promise.allSettled(["a", "bad", "c"].map((item) => batch.add(item)));
    expect(writes).toEqual([["a", "bad", "c"]]);
    expect(answers.map((a) => (a.status === "fulfilled" ? a.value : "error"))).toEqual(["A", "error", "C"]);
    // A later item is a later write.
    expect(await batch.add("d")).toBe("D");
    expect(writes).toEqual([["a", "bad", "c"], ["d"]]);
  });

  it("items arriving while a write awaits go into the next one", async () => {
    const writes: number[][] = [];
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const batch = new WriteBatch(async (items: number[]) => {
      writes.push(items);
      if (writes.length === 1) await gate;
      return items.map((n) => settle(() => n * 10));
    });
    const first = batch.add(1);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = [batch.add(2), batch.add(3)];
    release();
    expect(await Promise.all([first, ...second])).toEqual([10, 20, 30]);
    expect(writes).toEqual([[1], [2, 3]]);
  });

  it("a write that throws fails every caller of its batch", async () => {
    const batch = new WriteBatch(async (_items: number[]): Promise<{ ok: true; value: number }[]> => {
      throw new Error("storage down");
    });
    const answers = await Promise.allSettled([batch.add(1), batch.add(2)]);
    expect(answers.map((a) => a.status)).toEqual(["rejected", "rejected"]);
  });
});
