import { readFileSync } from "node:fs";
import { parse as parseToml } from "smol-toml";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { appYamlToFlyToml, flyTomlToAppYaml } from "../../../src/config";

const mapping = (name: string) =>
  readFileSync(new URL(`../../fixtures/config/mapping/${name}`, import.meta.url), "utf8");

describe("convert fly.toml ↔ app.yaml", () => {
  for (const name of [
    "http-service.toml",
    "services.toml",
    "checks.toml",
    "processes.toml",
    "mounts.toml",
    "extras.toml",
  ]) {
    it(`${name}: toml → yaml → toml keeps every field`, () => {
      const toml = mapping(name);
      const yaml = flyTomlToAppYaml(toml);
      expect(yaml.errors).toEqual([]);
      expect(parseYaml(yaml.text!)).toEqual({ ...parseToml(toml), source: { type: "local" } });
      const back = appYamlToFlyToml(yaml.text!);
      expect(back.errors).toEqual([]);
      expect(parseToml(back.text!)).toEqual(parseToml(toml));
    });
  }

  it("keeps a non-local source and flycd fields on the way to toml", () => {
    const yaml = mapping("network.yaml");
    const toml = appYamlToFlyToml(`${yaml}source: {type: git, repo: https://x.test/a/b}\n`);
    expect(parseToml(toml.text!)).toEqual({ ...parseYaml(yaml), source: { type: "git", repo: "https://x.test/a/b" } });
  });

  it("reports the place of a syntax error", () => {
    expect(flyTomlToAppYaml('app = "a"\n[http_service\n').errors[0]).toMatchObject({ file: "fly.toml", line: 2 });
    expect(appYamlToFlyToml("app: [a\n").errors[0]).toMatchObject({ file: "app.yaml", severity: "error" });
  });
});
