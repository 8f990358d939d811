import { describe, expect, it } from "vitest";
import { evaluateTree, memoryFileTree } from "../../../src/config";

async function evaluate(appYaml: string) {
  const ev = await evaluateTree(memoryFileTree({ "project.yaml": "project: p\n", "api/app.yaml": appYaml }), {
    secrets: () => undefined,
    defaultOrg: "acme",
  });
  return { apps: ev.apps, diagnostics: [...ev.errors, ...ev.warnings] };
}

describe("image policy in app.yaml", () => {
  it("resolves to the app's image source with its policy", async () => {
    const result = await evaluate(
      "app: acme-api\nprimary_region: ams\nsource:\n  type: image\n  image: ghcr.io/acme/api:1.4.2\n  policy:\n    semver: ^1.4\n    write_back: false\n",
    );
    const app = result.apps.find((a) => a.name === "acme-api");
    expect(app?.source).toEqual({
      type: "image",
      image: "ghcr.io/acme/api:1.4.2",
      policy: { kind: "semver", range: "^1.4", writeBack: false, suspend: false },
    });
  });

  it("names the file, line and field of a bad policy", async () => {
    const bad = await evaluate(
      "app: acme-api\nprimary_region: ams\nsource:\n  type: image\n  image: ghcr.io/acme/api\n  policy:\n    pattern: '^(a)\\1$'\n",
    );
    const diag = bad.diagnostics.find((d) => d.path === "source.policy.pattern");
    expect(diag).toMatchObject({ severity: "error", file: "api/app.yaml", line: 7 });
    expect(diag?.message).toMatch(/RE2/);
    const both = await evaluate(
      "app: a\nprimary_region: ams\nsource:\n  type: image\n  image: x/y\n  policy: {semver: '^1', pattern: 'x'}\n",
    );
    expect(both.diagnostics.some((d) => d.message.includes("one of semver or pattern"))).toBe(true);
    const range = await evaluate(
      "app: a\nprimary_region: ams\nsource:\n  type: image\n  image: x/y\n  policy: {semver: 'not a range'}\n",
    );
    expect(range.diagnostics.some((d) => d.message.includes("not a semver range"))).toBe(true);
    const group = await evaluate(
      "app: a\nprimary_region: ams\nsource:\n  type: image\n  image: x/y\n  policy: {pattern: '^m-(\\d+)$', by: ts}\n",
    );
    expect(group.diagnostics.some((d) => d.path === "source.policy.by")).toBe(true);
  });
});
