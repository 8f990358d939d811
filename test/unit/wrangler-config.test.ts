import { readFileSync } from "node:fs";
import { parse } from "smol-toml";
import { describe, expect, it } from "vitest";
import { VAR_NAMES } from "../../src/env";

const toml = parse(readFileSync(new URL("../../wrangler.toml", import.meta.url), "utf8")) as Record<string, unknown>;

describe("wrangler.toml", () => {
  it("declares exactly the vars the Worker's env type names", () => {
    expect(Object.keys(toml.vars as object).sort()).toEqual([...VAR_NAMES].sort());
  });

  it("names every secret in a comment with how to set it", () => {
    const text = readFileSync(new URL("../../wrangler.toml", import.meta.url), "utf8");
    for (const secret of ["FLY_API_TOKEN", "WEBHOOK_SECRET", "API_TOKEN", "ADMIN_TOKEN"]) {
      expect(text).toMatch(new RegExp(`#\\s+${secret}\\s`));
    }
    expect(text).toContain("wrangler secret put");
  });

  it("binds both Durable Objects on the SQLite backend and runs nodejs_compat", () => {
    expect(toml.compatibility_flags).toContain("nodejs_compat");
    const bindings = (toml.durable_objects as { bindings: { class_name: string }[] }).bindings;
    expect(bindings.map((b) => b.class_name).sort()).toEqual(["AppDO", "ProjectDO"]);
    expect((toml.migrations as { new_sqlite_classes: string[] }[])[0]?.new_sqlite_classes.sort()).toEqual([
      "AppDO",
      "ProjectDO",
    ]);
  });
});
