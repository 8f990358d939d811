import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { secretsDigest } from "../../../src/base/secrets-digest";
import { evaluateTree, memoryFileTree, resolveSecrets } from "../../../src/config";

const evaluate = async (text: string, env: Record<string, string> = {}) => {
  const ev = await evaluateTree(memoryFileTree({ "a/app.yaml": text }), { secrets: (k) => env[k], defaultOrg: "acme" });
  expect(ev.errors).toEqual([]);
  return ev.apps[0]!;
};

describe("config hash", () => {
  const base = "app: a\nprimary_region: ams\nenv:\n  A: '1'\n  B: '2'\nsecrets:\n  - name: APP_SECRET_TOKEN\n";

  it("does not change with key order, quoting, comments or flow style", async () => {
    const one = await evaluate(base, { APP_SECRET_TOKEN: "t" });
    const two = await evaluate(
      '# same thing\nenv: {B: "2", A: "1"}\nsecrets: [{name: APP_SECRET_TOKEN, type: env}]\nprimary_region: "ams"\napp: a\n',
      { APP_SECRET_TOKEN: "t" },
    );
    expect(two.configHash).toBe(one.configHash);
    expect(one.configHash).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it("changes with any field, and with a secret's value, which it never contains", async () => {
    const one = await evaluate(base, { APP_SECRET_TOKEN: "secret-one" });
    expect((await evaluate(base.replace("'2'", "'3'"), { APP_SECRET_TOKEN: "secret-one" })).configHash).not.toBe(
      one.configHash,
    );
    const rotated = await evaluate(base, { APP_SECRET_TOKEN: "secret-two" });
    expect(rotated.configHash).not.toBe(one.configHash);
    expect(rotated.secretsDigest).not.toBe(one.secretsDigest);
    expect(JSON.stringify(one)).not.toContain("secret-one");
  });

  it("resolves secrets from env or raw and names the missing ones", () => {
    const app = {
      secrets: [
        { name: "A", from: "env" as const, key: "SRC_A" },
        { name: "B", from: "raw" as const, value: "b" },
        { name: "C", from: "env" as const, key: "SRC_C" },
      ],
    };
    expect(resolveSecrets(app, (k) => (k === "SRC_A" ? "a" : undefined))).toEqual({
      values: { A: "a", B: "b" },
      missing: ["C"],
    });
    expect(secretsDigest({ A: "a", B: "b" }, "k")).toBe(secretsDigest({ B: "b", A: "a" }, "k"));
    expect(secretsDigest({ A: "a" }, "k")).not.toBe(secretsDigest({ A: "b" }, "k"));
  });

  it("keys the secrets digest: without Tower's key a guessed value cannot be checked against it", () => {
    const digest = secretsDigest({ TOKEN: "hunter2" }, "tower-only-key");
    expect(digest).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);
    // The unkeyed sha256 an attacker could compute from a guess is not it, nor is another key's.
    expect(digest).not.toContain(createHash("sha256").update('{"TOKEN":"hunter2"}').digest("hex"));
    expect(secretsDigest({ TOKEN: "hunter2" }, "another-key")).not.toBe(digest);
  });
});
