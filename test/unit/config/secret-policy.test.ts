import { describe, expect, it } from "vitest";
import { appSecretPolicy, evaluateTree, memoryFileTree, refusedAppSecret } from "../../../src/config";
import { TOWER_SETTING_NAMES } from "../../../src/env";

const env: Record<string, string> = {
  FLY_API_TOKEN: "fo1_org_token",
  GIT_CREDENTIALS: '{"github.com":"ghp_x"}',
  GIT_CREDENTIALS_GITLAB: "glpat",
  ADMIN_TOKEN: "admin",
  WEBHOOK_SECRET: "hook",
  WEBHOOK_SECRET_GITLAB: "gl-hook",
  CI_TOKEN: "ci",
  APP_SECRET_DB: "postgres://db",
  SHARED_DSN: "https://sentry",
  OTHER: "not for apps",
};

const evaluate = (secrets: string, settings: { APP_SECRET_PREFIX?: string; APP_SECRETS?: string } = {}) =>
  evaluateTree(memoryFileTree({ "web/app.yaml": `app: web\nprimary_region: ams\nsecrets:\n${secrets}` }), {
    secrets: (key) => env[key],
    secretPolicy: appSecretPolicy(settings),
    defaultOrg: "acme",
  });

describe("app secrets come only from variables marked for apps", () => {
  it("refuses every one of Tower's own settings at evaluation, naming file:line and the variable", async () => {
    for (const name of [...TOWER_SETTING_NAMES, "GIT_CREDENTIALS_GITLAB", "WEBHOOK_SECRET_GITLAB", "CI_TOKEN"]) {
      // Even an operator who lists it (or a prefix that matches it) cannot hand it out.
      const result = await evaluate(`  - name: X\n    env: ${name}\n`, { APP_SECRETS: name, APP_SECRET_PREFIX: "" });
      expect(result.apps, name).toEqual([]);
      expect(result.errors[0], name).toMatchObject({
        file: "web/app.yaml",
        line: 5,
        message: `secret X: ${name} is one of Tower's own settings and is never given to an app`,
      });
    }
  });

  it("refuses the org token when env defaults to the secret's name, too", async () => {
    const result = await evaluate("  - name: FLY_API_TOKEN\n");
    expect(result.errors.map((e) => `${e.file}:${e.line} ${e.message}`)).toEqual([
      "web/app.yaml:4 secret FLY_API_TOKEN: FLY_API_TOKEN is one of Tower's own settings and is never given to an app",
    ]);
    expect(JSON.stringify(result)).not.toContain("fo1_org_token");
  });

  it("takes variables with the prefix (default APP_SECRET_, configurable) or on the APP_SECRETS list", async () => {
    const ok = await evaluate("  - name: DATABASE_URL\n    env: APP_SECRET_DB\n");
    expect(ok.errors).toEqual([]);
    expect(ok.apps[0]!.secrets).toEqual([{ name: "DATABASE_URL", from: "env", key: "APP_SECRET_DB" }]);
    const unmarked = await evaluate("  - name: SENTRY_DSN\n    env: SHARED_DSN\n");
    expect(unmarked.errors.map((e) => e.message)).toEqual([
      "secret SENTRY_DSN: SHARED_DSN is not marked for apps: start its name with APP_SECRET_ or list it in APP_SECRETS",
    ]);
    const listed = await evaluate("  - name: SENTRY_DSN\n    env: SHARED_DSN\n", { APP_SECRETS: "SHARED_DSN, X" });
    expect(listed.errors).toEqual([]);
    const prefixed = await evaluate("  - name: SENTRY_DSN\n    env: SHARED_DSN\n", { APP_SECRET_PREFIX: "SHARED_" });
    expect(prefixed.errors).toEqual([]);
    expect(
      (await evaluate("  - name: DB\n    env: APP_SECRET_DB\n", { APP_SECRET_PREFIX: "SHARED_" })).errors,
    ).toHaveLength(1);
  });

  it("says how to mark a variable when prefix marking is off", () => {
    expect(refusedAppSecret("OTHER", appSecretPolicy({ APP_SECRET_PREFIX: "" }))).toBe(
      "OTHER is not marked for apps: list it in APP_SECRETS",
    );
  });
});

describe("notify targets follow the same rule for Tower's own settings (issue 13, issue 17)", () => {
  it("refuses url_env and secret_env naming Tower's settings, at file:line, and drops the target", async () => {
    const result = await evaluateTree(
      memoryFileTree({
        "project.yaml": [
          "project: root",
          "notify:",
          "  - {type: webhook, url_env: HOOK_URL, secret_env: FLY_API_TOKEN, events: [deploy.failed]}",
          "  - {type: slack, url_env: GIT_CREDENTIALS, events: [deploy.failed]}",
          "  - {type: slack, url_env: TEAM_CHAT, events: [deploy.failed]}",
        ].join("\n"),
        "web/app.yaml": "app: web\nprimary_region: ams\nsource: {type: image, image: nginx}\n",
      }),
      { secrets: (key) => env[key], defaultOrg: "acme" },
    );
    expect(result.errors.map((e) => `${e.file}:${e.line} ${e.path} ${e.message}`)).toEqual([
      "project.yaml:3 notify[0].secret_env notify secret_env: FLY_API_TOKEN is one of Tower's own settings and is never used for notifications",
      "project.yaml:4 notify[1].url_env notify url_env: GIT_CREDENTIALS is one of Tower's own settings and is never used for notifications",
    ]);
    expect(result.feedback?.notify.map((t) => t.url_env)).toEqual(["TEAM_CHAT"]);
  });
});
