import { describe, expect, it } from "vitest";
import { resolveSecrets } from "../../../../src/durable/app/resolve-secrets";

describe("resolveSecrets", () => {
  it("takes values from the env by key, raw values as they are", () => {
    const refs = [
      { name: "DB", from: "env", key: "APP_SECRET_DB" },
      { name: "T", from: "raw", value: "t-value" },
    ] as const;
    expect(resolveSecrets([...refs], { APP_SECRET_DB: "db-value" })).toEqual({
      values: { DB: "db-value", T: "t-value" },
    });
  });

  it("names missing secrets and their env keys, never a value", () => {
    const result = resolveSecrets(
      [
        { name: "A", from: "env", key: "APP_SECRET_MISSING_A" },
        { name: "B", from: "env", key: "APP_SECRET_PRESENT_B" },
      ],
      { APP_SECRET_PRESENT_B: "b-secret-value" },
    );
    expect(result).toEqual({ reason: "secrets not set in the Worker env: A (env APP_SECRET_MISSING_A)" });
    expect(JSON.stringify(result)).not.toContain("b-secret-value");
  });

  it("refuses Tower's own settings and unmarked variables even when config got past evaluation", () => {
    const env = { FLY_API_TOKEN: "org-token", DB: "db", APP_SECRETS: "DB" };
    expect(resolveSecrets([{ name: "X", from: "env", key: "FLY_API_TOKEN" }], env)).toEqual({
      reason: "secrets refused: X: FLY_API_TOKEN is one of Tower's own settings and is never given to an app",
    });
    expect(resolveSecrets([{ name: "DB", from: "env", key: "DB" }], env)).toEqual({ values: { DB: "db" } });
    expect(resolveSecrets([{ name: "DB", from: "env", key: "DB" }], { DB: "db" })).toMatchObject({
      reason: expect.stringContaining("DB is not marked for apps"),
    });
  });
});
