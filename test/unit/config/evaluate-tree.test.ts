import { describe, expect, it } from "vitest";
import { localFileTree } from "../../../src/cli/local-file-tree";
import { evaluateTree, type FileTree, memoryFileTree } from "../../../src/config";

const fixture = (name: string) =>
  localFileTree(new URL(`../../fixtures/config/trees/${name}`, import.meta.url).pathname);
const env: Record<string, string> = { APP_SECRET_WEB_DATABASE_URL: "postgres://db" };
const options = { secrets: (k: string) => env[k], defaultOrg: "fallback-org" };

describe("evaluateTree on a whole estate", async () => {
  const ev = await evaluateTree(fixture("estate"), options);

  it("finds every app, skipping dot-folders unless a project points there", () => {
    expect(ev.errors).toEqual([]);
    expect(ev.apps.map((a) => [a.name, a.org, a.regions, a.file, a.projects])).toEqual([
      ["builder", "acme", ["ord", "fra"], ".shared/builder/app.yaml", ["estate", "vendor"]],
      ["edge-proxy", "acme", ["sin", "fra"], "edge-services/proxy/app.yaml", ["estate"]],
      ["static-site", "acme", ["ams", "fra"], "static-site/app.yaml", ["estate"]],
      ["team-a-api", "acme-team-a", ["iad", "fra", "cdg"], "team-a/api/app.yaml", ["estate", "team-a"]],
      ["web-prod", "acme", ["ams", "fra", "lhr"], "web/app.yaml", ["estate"]],
      ["worker-prod", "acme", ["ams", "fra"], "worker-toml/fly.toml", ["estate"]],
    ]);
  });

  it("places each source", () => {
    const source = Object.fromEntries(ev.apps.map((a) => [a.name, a.source]));
    expect(source).toEqual({
      builder: { type: "local", path: ".shared/builder" },
      "edge-proxy": {
        type: "git",
        url: "https://github.com/acme/web",
        repo: "github.com/acme/web",
        ref: { tag: "v1.4.0" },
        path: "proxy",
      },
      "static-site": { type: "image", image: "nginx:1.27-alpine" },
      "team-a-api": { type: "inline-dockerfile", dockerfile: "FROM nginx:1.27\n" },
      "web-prod": {
        type: "git",
        url: "git@github.com:acme/web.git",
        repo: "github.com/acme/web",
        ref: { tag: "v1.4.0" },
        path: "services/web",
      },
      "worker-prod": { type: "image", image: "ghcr.io/acme/worker:1.0.0" },
    });
  });

  it("lists every repo once per ref with what uses it, git projects unfetched", () => {
    expect(ev.repos).toEqual([
      {
        url: "https://git.example.com/acme/estate.git",
        repo: "git.example.com/acme/estate",
        ref: { branch: "main" },
        usedBy: ["estate"],
      },
      {
        url: "ssh://git@GitHub.com/acme/remote-apps.git",
        repo: "github.com/acme/remote-apps",
        ref: { branch: "release" },
        usedBy: ["remote-apps"],
      },
      // The URL as first met (folders are walked in name order); the key is what matches.
      {
        url: "https://github.com/acme/web",
        repo: "github.com/acme/web",
        ref: { tag: "v1.4.0" },
        usedBy: ["edge-proxy", "web-prod"],
      },
    ]);
    const remote = ev.projects.find((p) => p.name === "remote-apps");
    expect(remote).toMatchObject({ fetched: false, complete: false, path: "remote-apps" });
    expect(ev.projects.map((p) => p.name).sort()).toEqual(["estate", "remote-apps", "team-a", "vendor"]);
  });

  it("reads flags and secrets: raw values never in the config, env values as a digest", () => {
    const builder = ev.apps.find((a) => a.name === "builder")!;
    expect(builder.config.machines).toBeUndefined(); // --ha=false: flycd's default count stays
    expect(ev.warnings.map((w) => `${w.file}:${w.line}:${w.col} ${w.message}`)).toEqual([
      ".shared/builder/app.yaml:5:16 flags Tower ignores: --now",
    ]);
    const web = ev.apps.find((a) => a.name === "web-prod")!;
    expect(web.secrets).toEqual([
      { name: "DATABASE_URL", from: "env", key: "APP_SECRET_WEB_DATABASE_URL" },
      { name: "API_KEY", from: "raw", value: "test-key" },
    ]);
    expect(web.config.secrets).toBeUndefined();
    expect(JSON.stringify(web.config)).not.toContain("postgres://db");
    expect(web.configHash).not.toContain("postgres");
  });

  it("fetches git-sourced projects through openRepo and builds their local apps from that repo", async () => {
    const remote = memoryFileTree({
      "deploy/api/app.yaml": "app: remote-api\nprimary_region: ams\n",
      "deploy/api/Dockerfile": "FROM x",
    });
    const asked: unknown[] = [];
    const fetched = await evaluateTree(fixture("estate"), {
      ...options,
      openRepo: async (source) => {
        asked.push(source);
        return remote;
      },
    });
    expect(asked).toEqual([
      {
        url: "ssh://git@GitHub.com/acme/remote-apps.git",
        repo: "github.com/acme/remote-apps",
        ref: { branch: "release" },
        path: "deploy",
      },
    ]);
    const api = fetched.apps.find((a) => a.name === "remote-api")!;
    expect(api.file).toBe("github.com/acme/remote-apps@release:deploy/api/app.yaml");
    expect(api.source).toEqual({
      type: "git",
      url: "ssh://git@GitHub.com/acme/remote-apps.git",
      repo: "github.com/acme/remote-apps",
      ref: { branch: "release" },
      path: "deploy/api",
    });
    expect(api.projects).toEqual(["estate", "remote-apps"]);
    expect(fetched.projects.find((p) => p.name === "remote-apps")).toMatchObject({ fetched: true, complete: true });
  });
});

const tree = (files: Record<string, string>): FileTree => memoryFileTree(files);

describe("evaluateTree on broken trees", () => {
  it("reports flycd's cyclic example (a project whose source is its own folder) and stops", async () => {
    const ev = await evaluateTree(
      tree({ "project.yaml": "project: loop\nsource:\n  type: local\n", "app.yaml": "app: a\nprimary_region: arn\n" }),
      options,
    );
    expect(ev.apps).toEqual([]);
    expect(ev.errors).toEqual([
      {
        severity: "error",
        file: "project.yaml",
        line: 3,
        col: 3,
        path: "source",
        message: 'cycle: project loop includes itself (source.path resolves to its own folder "")',
      },
    ]);
  });

  it("reports a nested project that points back at an ancestor", async () => {
    const ev = await evaluateTree(
      tree({
        "project.yaml": "project: root\n",
        "x/app.yaml": "app: x\nprimary_region: ams\n",
        "sub/project.yaml": "project: sub\nsource: {type: local, path: ..}\n",
      }),
      options,
    );
    expect(ev.apps).toEqual([]);
    expect(ev.errors.map((e) => `${e.file}:${e.line}:${e.col} ${e.message}`)).toEqual([
      "sub/project.yaml:2:9 cycle: root → sub leads back to .",
    ]);
  });

  it("keeps the other apps when one app file is broken, and names duplicates", async () => {
    const ev = await evaluateTree(
      tree({
        "good/app.yaml": "app: good\nprimary_region: ams\n",
        "bad/app.yaml": "app: bad\nprimary_region: [ams\n",
        "one/app.yaml": "primary_region: ams\napp: twin\n",
        "two/fly.toml": 'app = "twin"\nprimary_region = "ams"\n',
      }),
      options,
    );
    expect(ev.apps.map((a) => a.name)).toEqual(["good"]);
    expect(ev.errors.map((e) => `${e.file}:${e.line}:${e.col}: ${e.message}`)).toEqual([
      "bad/app.yaml:3:1: Flow sequence in block collection must be sufficiently indented and end with a ]",
      "one/app.yaml:2:6: duplicate app name twin: also in two/fly.toml",
      "two/fly.toml:1:1: duplicate app name twin: also in one/app.yaml",
    ]);
  });

  it("a broken root project.yaml leaves every app out", async () => {
    const ev = await evaluateTree(
      tree({ "project.yaml": "project: [\n", "a/app.yaml": "app: a\nprimary_region: ams\n" }),
      options,
    );
    expect(ev.apps).toEqual([]);
    expect(ev.errors[0]).toMatchObject({ file: "project.yaml", severity: "error" });
  });

  it("names a project pointing nowhere, a local source that is missing, a regex that does not compile", async () => {
    const ev = await evaluateTree(
      tree({
        "p/project.yaml": "project: p\nsource:\n  type: local\n  path: ../nowhere\n",
        "q/project.yaml": "project: q\ncommon:\n  substitutions:\n    '([a-z': x\n",
        "a/app.yaml": "app: a\nprimary_region: ams\nsource:\n  type: local\n  path: ../missing\n",
      }),
      options,
    );
    expect(ev.errors.map((e) => `${e.file}:${e.line}:${e.col} ${e.path} ${e.message.split(":")[0]}`)).toEqual([
      "a/app.yaml:5:9 source.path source folder missing does not exist",
      "p/project.yaml:3:3 source the project's source nowhere does not exist",
      "q/project.yaml:4:5 common.substitutions.([a-z regex does not compile in RE2 (linear time",
    ]);
  });

  it("fails an app whose env secret is unset (or warns, for the CLI)", async () => {
    const files = { "a/app.yaml": "app: a\nprimary_region: ams\nsecrets:\n  - name: APP_SECRET_TOKEN\n" };
    const strict = await evaluateTree(tree(files), options);
    expect(strict.apps).toEqual([]);
    expect(strict.errors[0]).toMatchObject({
      file: "a/app.yaml",
      line: 4,
      col: 5,
      message: "secret APP_SECRET_TOKEN: environment variable APP_SECRET_TOKEN is not set",
    });
    const lenient = await evaluateTree(tree(files), { ...options, missingSecrets: "warning" });
    expect(lenient.apps.map((a) => a.name)).toEqual(["a"]);
    expect(lenient.warnings).toHaveLength(1);
  });

  it("evaluates from options.root, a folder inside the tree", async () => {
    const ev = await evaluateTree(
      tree({
        "outside/app.yaml": "app: outside\nprimary_region: ams\n",
        "config/project.yaml": "project: c\n",
        "config/a/app.yaml": "app: inside\nprimary_region: ams\n",
      }),
      { ...options, root: "config" },
    );
    expect(ev.apps.map((a) => [a.name, a.file, a.projects])).toEqual([["inside", "config/a/app.yaml", ["c"]]]);
  });

  it("reuses cached app results for unchanged folders", async () => {
    const files = { "a/app.yaml": "app: a\nprimary_region: ams\n", "b/app.yaml": "app: b\nprimary_region: ams\n" };
    const first = await evaluateTree(tree(files), options);
    let reads = 0;
    const base = tree({ ...files, "b/app.yaml": "app: b\nprimary_region: fra\n" });
    const counting: FileTree = {
      ...base,
      label: base.label,
      read: (p) => {
        reads++;
        return base.read(p);
      },
    };
    const second = await evaluateTree(counting, { ...options, previous: first.cache });
    expect(reads).toBe(2); // project.yaml (absent) and b/app.yaml; a/app.yaml came from the cache
    expect(
      second.apps.map((a) => [
        a.name,
        a.primaryRegion,
        a.configHash === first.apps.find((x) => x.name === a.name)!.configHash,
      ]),
    ).toEqual([
      ["a", "ams", true],
      ["b", "fra", false],
    ]);
  });
});

describe("allow: a parent limits the apps of a nested project", () => {
  it("refuses an app outside allow.apps or allow.orgs with an error naming the rule; the rest evaluate", async () => {
    const files = {
      "project.yaml": "project: root\n",
      "pay/project.yaml": 'project: pay\nallow:\n  apps: "payments-*"\n  orgs: [acme-payments]\n',
      "pay/api/app.yaml": "app: payments-api\norg: acme-payments\nprimary_region: ams\n",
      "pay/web/app.yaml": "app: shop-web\norg: acme-payments\nprimary_region: ams\n",
      "pay/db/app.yaml": "app: payments-db\norg: acme\nprimary_region: ams\n",
      // A project below cannot widen the rule it inherits.
      "pay/sub/project.yaml": 'project: sub\nallow:\n  apps: "*"\n',
      "pay/sub/x/app.yaml": "app: other-x\norg: acme-payments\nprimary_region: ams\n",
    };
    const result = await evaluateTree(tree(files), options);
    expect(result.apps.map((a) => a.name)).toEqual(["payments-api"]);
    expect(result.errors.map((e) => `${e.file}:${e.line} ${e.message}`).sort()).toEqual([
      "pay/db/app.yaml:1 app payments-db is in org acme, outside what pay/project.yaml:3 allows: allow.orgs [acme-payments]",
      'pay/sub/x/app.yaml:1 app other-x is outside what pay/project.yaml:3 allows: allow.apps "payments-*"',
      'pay/web/app.yaml:1 app shop-web is outside what pay/project.yaml:3 allows: allow.apps "payments-*"',
    ]);
  });
});

describe("allow: previews are apps of the project too", () => {
  it("refuses previews.org outside allow.orgs, and gives routing the allow.apps rules for preview names", async () => {
    const git = "source: {type: git, repo: https://github.com/acme/pay, ref: {branch: main}}\n";
    const files = {
      "project.yaml": "project: root\n",
      "pay/project.yaml": 'project: pay\nallow:\n  apps: "payments-*"\n  orgs: [acme-payments]\n',
      "pay/api/app.yaml": `app: payments-api\norg: acme-payments\nprimary_region: ams\n${git}previews: {enabled: true}\n`,
      "pay/web/app.yaml": `app: payments-web\norg: acme-payments\nprimary_region: ams\n${git}previews: {enabled: true, org: acme}\n`,
    };
    const result = await evaluateTree(tree(files), options);
    expect(result.apps.map((a) => a.name)).toEqual(["payments-api"]);
    expect(result.apps[0]?.previews?.allow).toEqual([
      { at: "pay/project.yaml:3", apps: "payments-*", orgs: ["acme-payments"] },
    ]);
    expect(result.errors.map((e) => `${e.file}:${e.line} ${e.message}`)).toEqual([
      "pay/web/app.yaml:1 previews.org: app payments-web's previews is in org acme, outside what pay/project.yaml:3 allows: allow.orgs [acme-payments]",
    ]);
  });
});

describe("allow.secrets: a fenced project reads only its own variables", () => {
  it("refuses an app, or its previews, reading a variable marked for apps but outside allow.secrets", async () => {
    const git = "source: {type: git, repo: https://github.com/acme/pay, ref: {branch: main}}\n";
    const secret = (env: string) => `secrets:\n  - name: DB\n    env: ${env}\n`;
    const files = {
      "project.yaml": "project: root\n",
      "pay/project.yaml": 'project: pay\nallow:\n  apps: "payments-*"\n  secrets: ["APP_SECRET_PAYMENTS_*"]\n',
      "pay/api/app.yaml": `app: payments-api\nprimary_region: ams\n${secret("APP_SECRET_PAYMENTS_DB")}`,
      // Another team's database URL: marked for apps, but not for this one.
      "pay/web/app.yaml": `app: payments-web\nprimary_region: ams\n${secret("APP_SECRET_SHOP_DB")}`,
      "pay/pr/app.yaml": `app: payments-pr\nprimary_region: ams\n${git}previews:\n  enabled: true\n  ${secret("APP_SECRET_SHOP_DB").replace("\n  ", "\n    ").replace("\n    env", "\n      env")}`,
    };
    const values: Record<string, string> = { APP_SECRET_PAYMENTS_DB: "pg://pay", APP_SECRET_SHOP_DB: "pg://shop" };
    const result = await evaluateTree(tree(files), { ...options, secrets: (k: string) => values[k] });
    expect(result.apps.map((a) => a.name)).toEqual(["payments-api"]);
    expect(result.errors.map((e) => `${e.file}:${e.line} ${e.message}`).sort()).toEqual([
      "pay/pr/app.yaml:1 previews.secrets: app payments-pr may not read APP_SECRET_SHOP_DB: outside what pay/project.yaml:3 allows: allow.secrets [APP_SECRET_PAYMENTS_*]",
      "pay/web/app.yaml:1 app payments-web may not read APP_SECRET_SHOP_DB: outside what pay/project.yaml:3 allows: allow.secrets [APP_SECRET_PAYMENTS_*]",
    ]);
  });
});

describe("evaluateTree: feedback settings", () => {
  const tree = memoryFileTree({
    "project.yaml": [
      "project: root",
      "git_hosts:",
      "  git.example.com: {type: gitea, api: https://git.example.com/api/v1}",
      "notify:",
      "  - {type: webhook, url_env: NOTIFY_URL, secret_env: NOTIFY_KEY, events: [deploy.failed, config.invalid]}",
    ].join("\n"),
    "a/app.yaml": "app: a\nprimary_region: ams\nsource: {type: image, image: nginx}\n",
    "team/project.yaml": "project: team\nnotify: [{type: slack, url_env: TEAM_CHAT, events: [deploy.succeeded]}]\n",
    "team/b/app.yaml": "app: b\nprimary_region: ams\nsource: {type: image, image: nginx}\n",
    "bad/project.yaml": "project: bad\ngit_hosts: {evil.example: {type: github, api: https://evil.example}}\n",
  });

  it("stacks notify like common, reads git_hosts from the root only, and leaves the hash alone", async () => {
    const ev = await evaluateTree(tree, options);
    const [a, b] = ev.apps;
    expect(a?.feedback?.notify.map((t) => t.url_env)).toEqual(["NOTIFY_URL"]);
    expect(b?.feedback?.notify.map((t) => t.url_env)).toEqual(["NOTIFY_URL", "TEAM_CHAT"]);
    expect(b?.feedback?.gitHosts).toEqual({
      "git.example.com": { type: "gitea", api: "https://git.example.com/api/v1" },
    });
    expect(ev.feedback?.notify).toHaveLength(1);
    expect(ev.errors.map((e) => `${e.file}:${e.line}: ${e.message}`)).toEqual([
      "bad/project.yaml:2: git_hosts is read from the root project.yaml only",
    ]);
    const plain = await evaluateTree(
      memoryFileTree({
        "project.yaml": "project: root\n",
        "a/app.yaml": "app: a\nprimary_region: ams\nsource: {type: image, image: nginx}\n",
      }),
      options,
    );
    expect(plain.apps[0]?.configHash).toBe(a?.configHash);
    expect(plain.apps[0]?.feedback).toBeUndefined();
  });

  it("an unknown event or a URL written in place of a secret name is an error at its place", async () => {
    const ev = await evaluateTree(
      memoryFileTree({
        "project.yaml":
          "project: root\nnotify:\n  - {type: slack, url_env: 'https://hooks.slack.com/x', events: [deploy.exploded]}\n",
      }),
      options,
    );
    expect(ev.errors.map((e) => `${e.line}:${e.path}`)).toEqual(
      expect.arrayContaining(["3:notify[0].url_env", "3:notify[0].events[0]"]),
    );
  });
});
