/** measurePack over hand-made packfiles: the lies a hostile server can tell in a pack header. */
import pako from "pako";
import { describe, expect, it } from "vitest";
import { measurePack } from "../../../src/git/pack-limits";

const limits = { maxObjects: 100, maxInflatedBytes: 1 << 20 };

/** A pack of blobs whose headers declare `declared` bytes each, their data deflated as given. */
function pack(objects: { declared: number; data: Uint8Array; type?: number }[]): Uint8Array {
  const parts: number[] = [0x50, 0x41, 0x43, 0x4b, 0, 0, 0, 2, 0, 0, 0, objects.length];
  for (const { declared, data, type = 3 } of objects) {
    let size = declared;
    let byte = (type << 4) | (size & 15);
    size = Math.floor(size / 16);
    while (size > 0) {
      parts.push(byte | 0x80);
      byte = size & 0x7f;
      size = Math.floor(size / 128);
    }
    parts.push(byte);
    if (type === 7) parts.push(...new Array(20).fill(1));
    parts.push(...pako.deflate(data));
  }
  return Uint8Array.from([...parts, ...new Array(20).fill(0)]);
}

/** Git's delta-header varint: 7 bits a byte, least significant first. */
function varint(n: number): number[] {
  const out: number[] = [];
  for (let v = n; ; ) {
    const byte = v & 0x7f;
    v = Math.floor(v / 128);
    if (v === 0) return [...out, byte];
    out.push(byte | 0x80);
  }
}

describe("measurePack", () => {
  it("counts objects and inflated bytes of an honest pack", () => {
    const p = pack([
      { declared: 5, data: new TextEncoder().encode("hello") },
      { declared: 3, data: new TextEncoder().encode("abc") },
    ]);
    expect(measurePack(p, limits)).toEqual({ ok: true, objects: 2, inflatedBytes: 8 });
  });

  it("stops a bomb whose header lies about its size, without inflating it whole", () => {
    const bomb = pack([{ declared: 10, data: new Uint8Array(8 << 20) }]);
    expect(bomb.length).toBeLessThan(20_000);
    expect(measurePack(bomb, limits)).toMatchObject({ ok: false, limit: "inflated" });
  });

  it("refuses an honest header past the limit before inflating anything", () => {
    const p = pack([{ declared: 2 << 20, data: new Uint8Array(16) }]);
    expect(measurePack(p, limits)).toMatchObject({ ok: false, limit: "inflated" });
  });

  it("counts a delta at the size it rebuilds (a small delta can copy its base many times)", () => {
    // Delta data: base size 4, target size 4 MiB (varints), then instructions nobody reads here.
    const header = [4, ...varint(4 << 20)];
    const p = pack([{ declared: 8, data: Uint8Array.from([...header, 0x91, 0, 4, 0]), type: 7 }]);
    expect(measurePack(p, limits)).toMatchObject({ ok: false, limit: "inflated" });
  });

  it("refuses more objects than the limit from the header alone, and a pack cut short", () => {
    const p = pack([{ declared: 1, data: Uint8Array.of(1) }]);
    expect(measurePack(p, { ...limits, maxObjects: 0 })).toMatchObject({ ok: false, limit: "objects" });
    expect(measurePack(p.subarray(0, 14), limits)).toMatchObject({ ok: false, limit: "format" });
  });
});
