import { describe, expect, it } from "vitest";
import { parsePktLines, pktLines } from "../../../src/git/pkt-line";
import { pktText, readPkts } from "../../../src/git/pkt-stream";

describe("pkt-lines", () => {
  it("frames lines with their length and round-trips them", () => {
    const bytes = pktLines(["command=ls-refs\n", "delim", "peel\n", "flush"]);
    expect(new TextDecoder().decode(bytes)).toBe("0014command=ls-refs\n00010009peel\n0000");
    expect(parsePktLines(bytes)).toEqual(["command=ls-refs", "delim", "peel", "flush"]);
  });

  it("rejects truncated answers", () => {
    expect(() => parsePktLines(new TextEncoder().encode("0010short"))).toThrow(/truncated/);
    expect(() => parsePktLines(new TextEncoder().encode("zzzz"))).toThrow(/length/);
  });

  it("reads pkt-lines split across chunks at any byte", async () => {
    const bytes = pktLines(["packfile\n", "\u0001PACKDATA", "flush"]);
    for (let cut = 1; cut < bytes.byteLength; cut++) {
      async function* chunks() {
        yield bytes.subarray(0, cut);
        yield bytes.subarray(cut);
      }
      const seen: string[] = [];
      for await (const pkt of readPkts(chunks())) seen.push(typeof pkt === "string" ? pkt : (pktText(pkt) ?? ""));
      expect(seen, `cut at ${cut}`).toEqual(["packfile", "\u0001PACKDATA", "flush"]);
    }
  });
});
