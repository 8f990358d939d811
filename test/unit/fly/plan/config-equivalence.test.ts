import { describe, expect, it } from "vitest";
import { equivalentForm, goDurationNs, sameMeaning } from "../../../../src/fly/plan/config-equivalence";

describe("config equivalence: Fly's spelling against Tower's", () => {
  it("reads autostop booleans as Fly answers them: true is stop, false is off", () => {
    expect(sameMeaning({ autostop: "stop" }, { autostop: true })).toBe(true);
    expect(sameMeaning({ autostop: "off" }, { autostop: false })).toBe(true);
    expect(sameMeaning({ autostop: "suspend" }, { autostop: true })).toBe(false);
    expect(sameMeaning({ autostop: "off" }, { autostop: true })).toBe(false);
  });

  it("compares durations by length, not by text", () => {
    for (const [a, b] of [
      ["1m", "1m0s"],
      ["60s", "1m0s"],
      ["1.5h", "1h30m0s"],
      ["500ms", "0.5s"],
    ])
      expect(sameMeaning({ checks: { a: { interval: a } } }, { checks: { a: { interval: b } } })).toBe(true);
    expect(sameMeaning({ stop_config: { timeout: "10s" } }, { stop_config: { timeout: "1m0s" } })).toBe(false);
    expect(goDurationNs("1m30s")).toBe(90e9);
    expect(goDurationNs("soon")).toBeNull();
  });

  it("leaves fields that are not durations alone, even under those names elsewhere", () => {
    expect(equivalentForm({ env: { interval: "60s" } })).toEqual({ env: { interval: "60s" } });
    expect(sameMeaning({ image: "a", env: { X: "1m" } }, { env: { X: "60s" }, image: "a" })).toBe(false);
  });
});
