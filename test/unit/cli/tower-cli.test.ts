import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse as parseToml } from "smol-toml";
import { describe, expect, it } from "vitest";
import { freePort } from "../../../scripts/local/ports";

const root = new URL("../../../", import.meta.url).pathname;
const trees = join(root, "test/fixtures/config/trees");

/** Runs the real `tower` bin the way a person does: node bin/tower.mjs … */
function tower(...args: string[]) {
  const r = spawnSync(process.execPath, [join(root, "bin/tower.mjs"), ...args], {
    cwd: root,
    encoding: "utf8",
    timeout: 20_000,
    // No Fly token: plan shows the config-only view whatever the shell running the tests has.
    env: { ...process.env, APP_SECRET_WEB_DATABASE_URL: "postgres://from-env", FLY_API_TOKEN: "" },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("tower CLI", { timeout: 30_000 }, () => {
  it("validate prints apps and exits 0 on a good tree; --json has the documented shape", () => {
    const text = tower("validate", join(trees, "estate"));
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(
      /^web-prod {2}org=acme {2}regions=ams,fra,lhr {2}source=git github\.com\/acme\/web@v1\.4\.0:services\/web {2}sha256:/m,
    );
    expect(text.stdout).toContain("6 apps, 0 errors, 1 warning");
    const json = tower("validate", join(trees, "estate"), "--json");
    const doc = JSON.parse(json.stdout);
    expect(Object.keys(doc)).toEqual(["ok", "apps", "projects", "errors", "warnings"]);
    expect(doc.ok).toBe(true);
    expect(doc.apps.map((a: { name: string }) => a.name)).toContain("team-a-api");
    expect(json.stdout).not.toContain("postgres://from-env");
  });

  it("validate exits 1 with file:line:col errors and no stack trace; other apps still listed", () => {
    const r = tower("validate", join(trees, "broken"));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("still-fine");
    expect(r.stderr).toBe(
      "bad/app.yaml:4:18: error: http_service.internal_port: Invalid input: expected number, received string\n",
    );
    const cyclic = tower("validate", join(trees, "cyclic"));
    expect(cyclic.code).toBe(1);
    expect(cyclic.stderr).toContain("project.yaml:4:3: error: source: cycle: project self-including includes itself");
    expect(cyclic.stderr).not.toMatch(/\n\s+at /);
  });

  it("plan shows machine configs per group and region, never secret values", () => {
    const r = tower("plan", join(trees, "estate"), "--app", "web-prod", "--json");
    expect(r.code).toBe(0);
    const [app] = JSON.parse(r.stdout).apps;
    expect(
      app.groups.map((g: { processGroup: string; region: string; count: number }) => [
        g.processGroup,
        g.region,
        g.count,
      ]),
    ).toEqual([
      ["app", "ams", 1],
      ["app", "fra", 1],
      ["app", "lhr", 1],
    ]);
    expect(app.groups[0].config.image).toBe("registry.fly.io/web-prod:<build>");
    expect(app.secretNames).toEqual(["DATABASE_URL", "API_KEY"]);
    expect(app.secrets).toBeUndefined();
    expect(r.stdout).not.toContain("postgres://from-env");
    expect(r.stdout).not.toContain("test-key");
    const missing = tower("plan", join(trees, "estate"), "--app", "nope");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("no app named nope");
  });

  it("repos lists each repo once with its users", () => {
    const r = tower("repos", join(trees, "estate"), "--json");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).repos.map((x: { repo: string; usedBy: string[] }) => [x.repo, x.usedBy])).toEqual([
      ["git.example.com/acme/estate", ["estate"]],
      ["github.com/acme/remote-apps", ["remote-apps"]],
      ["github.com/acme/web", ["edge-proxy", "web-prod"]],
    ]);
  });

  it("convert goes fly.toml → app.yaml and back", () => {
    const dir = mkdtempSync(join(tmpdir(), "tower-convert-"));
    const toml = 'app = "conv"\nprimary_region = "ams"\n\n[http_service]\ninternal_port = 8080\nforce_https = true\n';
    writeFileSync(join(dir, "fly.toml"), toml);
    const yaml = tower("convert", join(dir, "fly.toml"));
    expect(yaml.code).toBe(0);
    expect(yaml.stdout).toContain("source:\n  type: local\n");
    writeFileSync(join(dir, "app.yaml"), yaml.stdout);
    const back = tower("convert", join(dir, "app.yaml"), "--to", "toml");
    expect(parseToml(back.stdout)).toEqual(parseToml(toml));
  });

  it("--help documents --json; bad usage exits 2 with a one-line message", { timeout: 90_000 }, () => {
    const commands = [
      "validate",
      "plan",
      "diff",
      "convert",
      "repos",
      "status",
      "history",
      "show",
      "sync",
      "rollback",
      "unpin",
    ];
    const usage = tower("help");
    for (const cmd of commands) {
      expect(usage.stdout).toMatch(new RegExp(`^  ${cmd} +\\S`, "m"));
      const r = tower("help", cmd);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain("--json");
      expect(r.stdout.startsWith(`tower ${cmd} `)).toBe(true);
    }
    expect(tower("diff", "--help").stdout).toBe(tower("help", "diff").stdout);
    expect(tower("help", "launch").code).toBe(2);
    const unknown = tower("validate", "--frobnicate");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe("tower validate: unknown option --frobnicate\n(see tower help validate)\n");
    expect(tower("launch").code).toBe(2);
    expect(tower("validate", join(trees, "no-such-dir")).stderr).toMatch(/is not a folder/);
  });

  it("commands against a running Tower name the setting or URL when they cannot reach it", async () => {
    const port = await freePort();
    const env = (extra: Record<string, string>) => ({ TOWER_URL: "", TOWER_TOKEN: "", ...extra });
    const unset = towerEnv(env({}), "status");
    expect([unset.code, unset.stderr]).toEqual([
      2,
      "tower status: TOWER_URL is not set: the address of your Tower Worker (or --url URL)\n(see tower help status)\n",
    ]);
    const down = towerEnv(env({ TOWER_URL: `http://127.0.0.1:${port}` }), "history", "some-app");
    expect([down.code, down.stderr]).toEqual([
      2,
      `tower history: cannot reach Tower at http://127.0.0.1:${port} (TOWER_URL): ECONNREFUSED [tower_unreachable]\n`,
    ]);
    expect(towerEnv(env({}), "show", "app", "3", "--url", "not a url").stderr).toContain(
      "TOWER_URL is not a URL: not a url",
    );
    expect(towerEnv(env({ TOWER_URL: `http://127.0.0.1:${port}` }), "show", "app").stderr).toContain("missing DEPLOY");
  });
});

/** As `tower`, with extra environment. */
function towerEnv(extra: Record<string, string>, ...args: string[]) {
  const r = spawnSync(process.execPath, [join(root, "bin/tower.mjs"), ...args], {
    cwd: root,
    encoding: "utf8",
    timeout: 20_000,
    env: { ...process.env, ...extra },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
