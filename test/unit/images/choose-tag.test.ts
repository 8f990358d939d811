import { describe, expect, it } from "vitest";
import { type ImagePolicy, readImagePolicy } from "../../../src/config";
import { chooseTag } from "../../../src/durable/images/choose-tag";

const policy = (raw: Record<string, unknown>): ImagePolicy => {
  const p = readImagePolicy({ policy: raw });
  if (!p) throw new Error(`not a policy: ${JSON.stringify(raw)}`);
  return p;
};

describe("chooseTag", () => {
  const tags = ["1.3.9", "1.4.0", "v1.4.2", "1.4.2", "1.5.0-rc.1", "1.10.0", "2.0.0", "latest", "main-17", "main-9"];

  it("semver: the newest in range, a tag outside the range is ignored, pre-releases follow semver's rules", () => {
    expect(chooseTag(policy({ semver: "^1.4" }), tags)).toMatchObject({ tag: "1.10.0", fitting: 4 });
    expect(chooseTag(policy({ semver: "~1.4" }), tags).tag).toBe("1.4.2");
    // 1.5.0-rc.1 is not in ^1.4 (a pre-release fits only a range naming a pre-release of its version)…
    expect(chooseTag(policy({ semver: ">=1.4.0 <1.6.0" }), tags).tag).toBe("1.4.2");
    // …and is chosen when the range opts into 1.5.0's pre-releases.
    expect(chooseTag(policy({ semver: ">=1.5.0-rc.0 <1.6.0" }), tags).tag).toBe("1.5.0-rc.1");
    expect(chooseTag(policy({ semver: "^3" }), tags)).toEqual({ why: "no tag of 10 fits semver ^3", fitting: 0 });
    expect(chooseTag(policy({ semver: "^1.4" }), tags).why).toBe(
      "1.10.0: the newest of 4 tags fitting semver ^1.4 (10 seen)",
    );
  });

  it("pattern: numeric by a named group (17 beats 9), alphabetical by the whole tag", () => {
    const numeric = policy({ pattern: "^main-(?<ts>\\d+)$", order: "numeric", by: "ts" });
    expect(chooseTag(numeric, tags).tag).toBe("main-17");
    const alpha = policy({ pattern: "^main-", order: "alphabetical" });
    expect(chooseTag(alpha, tags).tag).toBe("main-9");
  });

  it("stays linear on hostile tags and patterns", () => {
    const evil = policy({ pattern: "^(a+)+$", order: "alphabetical" });
    const hostile = Array.from({ length: 2000 }, (_, i) => `${"a".repeat(120)}${i}!`);
    const started = performance.now();
    expect(chooseTag(evil, hostile).tag).toBeUndefined();
    // A backtracking engine needs 2^120 steps per tag here; RE2 needs ~120.
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
