import { describe, expect, it } from "vitest";
import { resolveSecrets } from "../../../../src/durable/app/resolve-secrets";

describe("resolveSecrets", () => {
  it("takes values from the env by key, raw values as they are", () => {
    const refs = [
      { name: "DB", from: "env", key: "APP_DB" },
      { name: "T", from: "raw", value: "t-value" },
    ] as const;
    expect(resolveSecrets([...refs], { APP_DB: "db-value" })).toEqual({ values: { DB: "db-value", T: "t-value" } });
  });

  it("names missing secrets and their env keys, never a value", () => {
    const result = resolveSecrets(
      [
        { name: "A", from: "env", key: "MISSING_A" },
        { name: "B", from: "env", key: "PRESENT_B" },
      ],
      { PRESENT_B: "b-secret-value" },
    );
    expect(result).toEqual({ reason: "secrets not set in the Worker env: A (env MISSING_A)" });
    expect(JSON.stringify(result)).not.toContain("b-secret-value");
  });
});
