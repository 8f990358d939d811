import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { desiredFromFixture, mappingDir } from "./mapping-support";

// One fixture per row of the fly.toml → machine config table (FLY-FACTS.md): the input file and
// the exact DesiredApp expected, side by side in test/fixtures/config/mapping.
const fixtures = readdirSync(mappingDir).filter((f) => /\.(toml|yaml)$/.test(f));

describe("fly.toml → machine configs", () => {
  it("has a fixture for every row of the table", () => {
    expect(fixtures.map((f) => f.replace(/\.\w+$/, "")).sort()).toEqual(
      ["checks", "extras", "http-service", "mounts", "network", "processes", "services", "vm-size"].sort(),
    );
  });

  for (const fixture of fixtures) {
    it(fixture, async () => {
      const expected = JSON.parse(readFileSync(new URL(fixture.replace(/\.\w+$/, ".json"), mappingDir), "utf8"));
      expect(await desiredFromFixture(fixture)).toEqual(expected);
    });
  }
});
