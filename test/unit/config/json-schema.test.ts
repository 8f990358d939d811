import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { jsonSchemas } from "../../../src/config";

describe("schema/*.schema.json", () => {
  it("are current (run `npm run schema` after changing src/config/schema)", () => {
    const schemas = jsonSchemas();
    for (const name of ["app", "project"] as const) {
      const committed = JSON.parse(
        readFileSync(new URL(`../../../schema/${name}.schema.json`, import.meta.url), "utf8"),
      );
      expect(committed).toEqual(JSON.parse(JSON.stringify(schemas[name])));
    }
  });

  it("describe flycd's fields and leave objects open for fly.toml's new ones", () => {
    const app = jsonSchemas().app as {
      properties: Record<string, { description?: string }>;
      additionalProperties?: unknown;
    };
    expect(Object.keys(app.properties)).toEqual(
      expect.arrayContaining(["app", "http_service", "source", "secrets", "machines", "network"]),
    );
    expect(app.properties.secrets!.description).toContain("type: env");
    expect(app.additionalProperties).toBeUndefined();
  });
});
