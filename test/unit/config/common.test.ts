import { describe, expect, it } from "vitest";
import { evaluateTree, memoryFileTree } from "../../../src/config";

const options = { secrets: () => undefined, defaultOrg: "acme" };
const evaluate = (files: Record<string, string>) => evaluateTree(memoryFileTree(files), options);

describe("project common, as flycd applied it", () => {
  it("runs substitutions (regex → string, every match) on the raw app text before parsing", async () => {
    const ev = await evaluate({
      "project.yaml":
        "project: p\ncommon:\n  substitutions:\n    '\\{\\{ENV\\}\\}': staging\n    'region: [a-z]+': 'region: fra'\n",
      "a/app.yaml": "app: api-{{ENV}}\nprimary_region: ams\nenv:\n  NAME: '{{ENV}}-{{ENV}}'\n",
    });
    expect(ev.errors).toEqual([]);
    expect(ev.apps[0]!.name).toBe("api-staging");
    expect(ev.apps[0]!.primaryRegion).toBe("fra");
    expect(ev.apps[0]!.config.env).toEqual({ NAME: "staging-staging" });
  });

  it("merges app_defaults < app file < app_overrides, deep, lists appended without duplicates", async () => {
    const ev = await evaluate({
      "project.yaml": [
        "project: p",
        "common:",
        "  app_defaults:",
        "    env: {A: default, B: default}",
        "    extra_regions: [fra, lhr]",
        "    http_service: {internal_port: 80, force_https: true}",
        "  app_overrides:",
        "    env: {B: override}",
        "    extra_regions: [sin]",
        "",
      ].join("\n"),
      "a/app.yaml":
        "app: a\nprimary_region: ams\nenv: {A: app, B: app, C: app}\nextra_regions: [lhr, cdg]\nhttp_service: {internal_port: 8080}\n",
    });
    const app = ev.apps[0]!;
    expect(app.config.env).toEqual({ A: "app", B: "override", C: "app" });
    expect(app.config.extra_regions).toEqual(["fra", "lhr", "cdg", "sin"]);
    expect(app.config.http_service).toEqual({ internal_port: 8080, force_https: true });
    expect(app.regions).toEqual(["ams", "fra", "lhr", "cdg", "sin"]);
  });

  it("merges list tables that share an identity field (internal_port, name, source…) instead of appending", async () => {
    const ev = await evaluate({
      "project.yaml": [
        "project: p",
        "common:",
        "  app_defaults:",
        "    services: [{internal_port: 8080, protocol: tcp, concurrency: {type: requests, soft_limit: 10}}]",
        "    mounts: [{source: data, destination: /data}]",
        "    secrets: [{name: SHARED, type: raw, raw: s}]",
        "",
      ].join("\n"),
      "a/app.yaml": [
        "app: a",
        "primary_region: ams",
        "services: [{internal_port: 8080, protocol: tcp, concurrency: {soft_limit: 50}}, {internal_port: 9000, protocol: udp}]",
        "mounts: [{source: data, destination: /var/lib/data}]",
        "secrets: [{name: OWN, type: raw, raw: x}]",
        "",
      ].join("\n"),
    });
    const app = ev.apps[0]!;
    expect(app.config.services).toEqual([
      { internal_port: 8080, protocol: "tcp", concurrency: { type: "requests", soft_limit: 50 } },
      { internal_port: 9000, protocol: "udp" },
    ]);
    expect(app.config.mounts).toEqual([{ source: "data", destination: "/var/lib/data" }]);
    expect(app.secrets.map((s) => s.name)).toEqual(["SHARED", "OWN"]);
  });

  it("stacks nested projects' common: inner defaults and overrides win, substitutions run outer first", async () => {
    const ev = await evaluate({
      "project.yaml":
        "project: outer\ncommon:\n  app_defaults: {org: outer-org, env: {X: outer, Y: outer}}\n  app_overrides: {kill_signal: SIGTERM}\n  substitutions: {'@@': '##'}\n",
      "inner/project.yaml":
        "project: inner\ncommon:\n  app_defaults: {env: {Y: inner}}\n  app_overrides: {kill_signal: SIGINT}\n  substitutions: {'##': 'done'}\n",
      "inner/a/app.yaml": "app: a\nprimary_region: ams\nenv: {Z: '@@'}\n",
      "b/app.yaml": "app: b\nprimary_region: ams\nenv: {Z: '@@'}\n",
    });
    const [a, b] = ev.apps;
    expect(a!.org).toBe("outer-org");
    expect(a!.config.env).toEqual({ X: "outer", Y: "inner", Z: "done" });
    expect(a!.config.kill_signal).toBe("SIGINT");
    expect(a!.projects).toEqual(["outer", "inner"]);
    expect(b!.config.env).toEqual({ X: "outer", Y: "outer", Z: "##" });
    expect(b!.config.kill_signal).toBe("SIGTERM");
  });

  it("a parent's defaults change the app's hash (flycd hashed only the app folder)", async () => {
    const files = {
      "project.yaml": "project: p\ncommon:\n  app_defaults: {env: {A: '1'}}\n",
      "a/app.yaml": "app: a\nprimary_region: ams\n",
    };
    const before = await evaluate(files);
    const after = await evaluate({
      ...files,
      "project.yaml": "project: p\ncommon:\n  app_defaults: {env: {A: '2'}}\n",
    });
    expect(before.apps[0]!.configHash).not.toBe(after.apps[0]!.configHash);
  });

  it("points an invalid value that came from a project's defaults at the project file", async () => {
    const ev = await evaluate({
      "project.yaml": "project: p\ncommon:\n  app_defaults:\n    primary_region: Amsterdam\n",
      "a/app.yaml": "app: a\n",
    });
    expect(ev.errors.map((e) => `${e.file}:${e.line}:${e.col} ${e.path}: ${e.message}`)).toEqual([
      "project.yaml:4:21 primary_region: a region code is three lowercase letters, e.g. ams",
    ]);
  });
});

describe("substitutions cannot blow up", () => {
  const evaluate = (pattern: string, replacement: string, app = "app: a\nprimary_region: ams\n") =>
    evaluateTree(
      memoryFileTree({
        "project.yaml": `project: p\ncommon:\n  substitutions:\n    ${JSON.stringify(pattern)}: ${JSON.stringify(replacement)}\n`,
        "a/app.yaml": app,
      }),
      { secrets: () => undefined, defaultOrg: "acme" },
    );

  it("refuses what RE2 does not match in linear time (backreferences, lookaround) at the pattern's line", async () => {
    for (const pattern of ["(a)\\1", "a(?=b)", "a(?<!b)", "x".repeat(257)]) {
      const result = await evaluate(pattern, "z");
      expect(result.errors[0], pattern).toMatchObject({ file: "project.yaml", line: 4 });
      expect(result.errors[0]!.message, pattern).toMatch(/^regex (refused: longer|does not compile in RE2)/);
    }
  });

  it("runs backtracking shapes in RE2: linear time, the same result as JavaScript's replace", async () => {
    // A backtracking engine needs exponentially many steps for these against this line; RE2 one pass.
    const line = `${"a".repeat(5000)}!`;
    const app = `app: a\nprimary_region: ams\nenv:\n  X: "${line}"\n`;
    for (const [pattern, expected] of [
      ["(a+)+!", "z"],
      ["(a|aa)+b", line],
    ] as const) {
      const result = await evaluate(pattern, "z", app);
      expect(result.errors, pattern).toEqual([]);
      expect((result.apps[0]!.config.env as Record<string, string>).X, pattern).toBe(expected);
    }
    const groups = await evaluate("(v)(1)", "$2$1-$&", "app: a\nprimary_region: ams\nenv: {R: v1}\n");
    expect((groups.apps[0]!.config.env as Record<string, string>).R).toBe("1v-v1");
  });

  it("keeps plain patterns working and caps the output size", async () => {
    const ok = await evaluate("ams", "fra");
    expect(ok.apps[0]!.primaryRegion).toBe("fra");
    const bomb = await evaluate(
      "a",
      "b".repeat(100_000),
      `app: a\nprimary_region: ams\nenv:\n  X: "${"a".repeat(50)}"\n`,
    );
    expect(bomb.apps).toEqual([]);
    expect(bomb.errors[0]!.message).toMatch(/substitutions would make this file larger than 1048576 bytes/);
  });
});
