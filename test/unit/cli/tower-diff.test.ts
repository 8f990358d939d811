/**
 * `tower diff` and `tower plan` as a person runs them (node bin/tower.mjs, a child process) against
 * the Fly simulator, after the example apps were deployed the way the AppDO deploys them: the same
 * evaluation, `toDesiredApp`, planner and executor.
 */
import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../../scripts/local/ports";
import { localFileTree } from "../../../src/cli/local-file-tree";
import { evaluateTree, type ResolvedApp, resolveSecrets, toDesiredApp } from "../../../src/config";
import {
  createDeployRun,
  createFlyClient,
  newJournal,
  planDeploy,
  readLiveApp,
  runToCompletion,
} from "../../../src/fly";
import { type FlySim, startFlySim } from "../../fly-sim";

const root = new URL("../../../", import.meta.url).pathname;
const TOKEN = "fm2_cli-diff-test";
const SITE_IMAGE = `registry.fly.io/tower-demo-site@sha256:${"ab".repeat(32)}`;
let sim: FlySim;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The real bin, asynchronously: the simulator answers from this process. */
function tower(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return run(process.execPath, [join(root, "bin/tower.mjs"), ...args], env);
}

function run(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((done) => {
    execFile(
      file,
      args,
      { cwd: root, env: { ...process.env, FLY_API_TOKEN: TOKEN, FLY_API_BASE: sim.url, NO_COLOR: "", ...env } },
      (error, stdout, stderr) => done({ code: error ? ((error.code as number) ?? null) : 0, stdout, stderr }),
    );
  });
}

async function deploy(app: ResolvedApp, env: Record<string, string> = {}) {
  const client = createFlyClient({ baseUrl: sim.url, token: TOKEN, retry: { attempts: 6, baseMs: 20, maxMs: 400 } });
  const { values } = resolveSecrets(app, (key) => env[key]);
  const image = app.source.type === "image" ? app.source.image : SITE_IMAGE;
  const desired = toDesiredApp(app, { image, secretValues: values, releaseId: `rel-${app.name}`, releaseVersion: 1 });
  const plan = planDeploy(desired, await readLiveApp(client, app.name));
  const run = createDeployRun({
    client,
    plan,
    desired,
    journal: newJournal(`run-${app.name}`, { id: `rel-${app.name}`, version: 1 }),
    pollMs: 40,
    // What is deployed is what these tests diff against, not how the gates wait: apps without checks
    // are watched 1 s for a crash loop here, not flyctl's 10 s (as in test/unit/fly/exec/sim-harness.ts).
    smokeMs: 1000,
  });
  const result = await runToCompletion(run, { sliceMs: 30_000 });
  expect(result.status, app.name).toBe("succeeded");
}

async function evaluate(dir: string, env: Record<string, string> = {}) {
  const ev = await evaluateTree(localFileTree(dir), {
    secrets: (key) => env[key],
    defaultOrg: "personal",
    missingSecrets: "warning",
  });
  return ev.apps;
}

/** A copy of examples/config to edit, as a working copy would be. */
function copyOfExamples(): string {
  const dir = mkdtempSync(join(tmpdir(), "tower-diff-"));
  cpSync(join(root, "examples/config"), dir, { recursive: true });
  return dir;
}

/** Lines that say what changes (`+`/`-` field lines), trimmed. */
const fieldLines = (out: string) =>
  out
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => /^[-+] {3}/.test(l));

beforeAll(async () => {
  sim = await startFlySim({ rateLimit: { scale: 20 }, token: TOKEN, timings: { checksPassMs: 50 } });
  for (const app of await evaluate(join(root, "examples/config"))) await deploy(app);
}, 60_000);

afterAll(async () => {
  await sim?.close();
});

describe("tower diff against the Fly simulator", { timeout: 30_000 }, () => {
  it("exits 0 and says no changes when Fly runs what the tree says", async () => {
    const r = await tower(["diff", "examples/config"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    for (const name of ["api", "board", "clock", "hello", "site"])
      expect(r.stdout).toMatch(new RegExp(`^tower-demo-${name}: no changes$`, "m"));
    expect(r.stdout).toContain(`note: built from source: compared with the image Fly runs (${SITE_IMAGE})`);
  });

  it("one env change in a copy: exit 1, exactly that env line, the strategy's order", async () => {
    const dir = copyOfExamples();
    const file = join(dir, "hello/app.yaml");
    writeFileSync(file, readFileSync(file, "utf8").replace("GREETING: hello from tower", "GREETING: hello again"));
    const r = await tower(["diff", dir]);
    expect(r.code, r.stderr).toBe(1);
    expect(fieldLines(r.stdout)).toEqual(['-   env.GREETING = "hello from tower"', '+   env.GREETING = "hello again"']);
    expect(r.stdout).toContain("tower-demo-hello: 1 machine to update (rolling)");
    expect(r.stdout).toMatch(
      /1\. machines, then wait until they are started and healthy:\n\s+~ update machine app-ams-1 \(app in ams, \w+\)/,
    );
    expect(r.stdout).toMatch(/^tower-demo-api: no changes$/m);
    // Piped: no colour codes.
    expect(r.stdout).not.toContain("\x1b[");

    const json = await tower(["diff", dir, "--app", "tower-demo-hello", "--json"]);
    expect(json.code).toBe(1);
    const doc = JSON.parse(json.stdout);
    expect(doc.changed).toBe(true);
    const [hello] = doc.apps;
    expect(hello.plan.steps.map((s: { kind: string }) => s.kind)).toEqual(["machines"]);
    expect(Object.values(hello.machines).flat()).toMatchObject([
      {
        op: "update",
        name: "app-ams-1",
        fields: [{ path: "env.GREETING", live: "hello from tower", want: "hello again" }],
      },
    ]);
  });

  it.skipIf(!existsSync("/usr/bin/script"))("colours on a terminal, none with NO_COLOR", async () => {
    const dir = copyOfExamples();
    const file = join(dir, "hello/app.yaml");
    writeFileSync(file, readFileSync(file, "utf8").replace("GREETING: hello from tower", "GREETING: in colour"));
    // util-linux `script` gives the CLI a pseudo-terminal, as a person's shell would.
    const line = `${process.execPath} bin/tower.mjs diff ${dir} --app tower-demo-hello`;
    const tty = await run("/usr/bin/script", ["-qec", line, "/dev/null"], { NO_COLOR: "" });
    expect(tty.code).toBe(1);
    expect(tty.stdout).toContain('\u001b[31m-   env.GREETING = "hello from tower"\u001b[0m');
    expect(tty.stdout).toContain('\u001b[32m+   env.GREETING = "in colour"\u001b[0m');
    const plain = await run("/usr/bin/script", ["-qec", line, "/dev/null"], { NO_COLOR: "1" });
    expect(plain.stdout).toContain('+   env.GREETING = "in colour"');
    expect(plain.stdout).not.toContain("\u001b[");
  });

  it("a region moved: creates and destroys, after the release command", async () => {
    const dir = copyOfExamples();
    const file = join(dir, "api/app.yaml");
    writeFileSync(file, readFileSync(file, "utf8").replace("extra_regions: [fra]", "extra_regions: [lhr]"));
    const r = await tower(["diff", dir, "--app", "tower-demo-api"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/\+ create machine app-lhr-1 \(app in lhr\)/);
    expect(r.stdout).toMatch(/- destroy machine app-fra-1 \(app in fra, \w+\)/);
    // A config change restarts every machine through the release command first.
    expect(r.stdout.indexOf('run release command "nginx -t"')).toBeLessThan(r.stdout.indexOf("create machine"));
  });

  it("plan says which view it is: live with a token, config only without", async () => {
    const live = await tower(["plan", "examples/config", "--app", "tower-demo-hello"]);
    expect(live.code).toBe(0);
    expect(live.stdout.split("\n")[0]).toBe(`live plan: against what Fly runs (${sim.url}/v1)`);
    expect(live.stdout).toContain("tower-demo-hello: no changes");
    const offline = await tower(["plan", "examples/config", "--app", "tower-demo-hello", "--offline"]);
    expect(offline.stdout.split("\n")[0]).toBe(
      "config only (--offline): the machines Tower would run, not compared with Fly",
    );
    const none = await tower(["plan", "examples/config", "--app", "tower-demo-hello", "--json"], { FLY_API_TOKEN: "" });
    expect(JSON.parse(none.stdout).mode).toBe("config");
    const liveJson = await tower(["plan", "examples/config", "--app", "tower-demo-hello", "--json"]);
    expect(JSON.parse(liveJson.stdout)).toMatchObject({
      mode: "live",
      apps: [{ name: "tower-demo-hello", changed: false }],
    });
  });

  it("errors name the cause, in one line, exit 2", async () => {
    const noToken = await tower(["diff", "examples/config"], { FLY_API_TOKEN: "" });
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toMatch(/^tower diff: FLY_API_TOKEN is not set/);
    const refused = await tower(["diff", "examples/config", "--app", "tower-demo-hello"], {
      FLY_API_TOKEN: "fm2_wrong",
    });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(
      /^tower diff: Fly refused FLY_API_TOKEN \(401 on GET .*\/v1\/apps\/tower-demo-hello\)/,
    );
    expect(refused.stderr).not.toContain("fm2_wrong");
    const port = await freePort();
    const gone = await tower(["diff", "examples/config"], { FLY_API_BASE: `http://127.0.0.1:${port}` });
    expect(gone.code).toBe(2);
    expect(gone.stderr).toBe(
      `tower diff: cannot reach the Fly Machines API at http://127.0.0.1:${port}/v1 (FLY_API_BASE) [fly_unreachable]\n`,
    );
    for (const r of [noToken, refused, gone]) expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe("secrets in tower diff", { timeout: 30_000 }, () => {
  const tree = () => {
    const dir = mkdtempSync(join(tmpdir(), "tower-diff-secrets-"));
    writeFileSync(
      join(dir, "app.yaml"),
      "app: cli-diff-secrets\nprimary_region: ams\nsource:\n  type: image\n  image: nginx:1.27-alpine\nsecrets:\n  - name: DB_URL\n    type: env\n    env: APP_SECRET_CLI_DIFF_DB_URL\n",
    );
    return dir;
  };

  it("compares secrets by name (the digest is keyed by the Worker) and never prints a value", async () => {
    const dir = tree();
    const [app] = await evaluate(dir, { APP_SECRET_CLI_DIFF_DB_URL: "postgres://first-value" });
    await deploy(app!, { APP_SECRET_CLI_DIFF_DB_URL: "postgres://first-value" });

    const byName = await tower(["diff", dir]);
    expect(byName.code, byName.stdout + byName.stderr).toBe(0);
    expect(byName.stdout).toContain(
      "note: secret values not in this environment (DB_URL): secrets compared by name only",
    );

    const same = await tower(["diff", dir], { APP_SECRET_CLI_DIFF_DB_URL: "postgres://first-value" });
    expect(same.code, same.stdout).toBe(0);

    // The Worker keys the secrets digest with a key only it holds (HMAC), so a shell cannot tell a
    // changed value from Fly's digest: it compares by name and says so.
    const changed = await tower(["diff", dir, "--json"], { APP_SECRET_CLI_DIFF_DB_URL: "postgres://second-value" });
    expect(changed.code).toBe(0);
    const text = await tower(["diff", dir], { APP_SECRET_CLI_DIFF_DB_URL: "postgres://second-value" });
    expect(text.code).toBe(0);
    for (const out of [byName.stdout, same.stdout, changed.stdout, text.stdout]) {
      expect(out).not.toContain("first-value");
      expect(out).not.toContain("second-value");
    }
  });
});
