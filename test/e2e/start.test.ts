/**
 * The newcomer's path, for real: `npm start` (Fly simulator, git server, wrangler dev) deploys the
 * example apps, `npm run demo:push` deploys exactly the changed one, and Ctrl-C (SIGINT to the
 * terminal's process group) leaves no process or port behind. Own ports and folder, so a stack
 * someone runs by hand on the defaults is not disturbed.
 */
import { execFile, spawn } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { alive } from "../../scripts/local/process-group";
import { withSubstitutions } from "../../scripts/local/seed-repos";
import type { AppSummary } from "../../src/durable/contract";
import { cliExamples, masked } from "../support/cli-examples";
import { commands, snippets } from "../support/doc-snippets";
import {
  EXAMPLE_APPS,
  type LocalStack,
  listApps as listAppsOf,
  root,
  settledApps,
  startLocalStack,
} from "./local-stack";

const run = promisify(execFile);

let stack: LocalStack;
let dir: string;
let env: NodeJS.ProcessEnv;
let ports: LocalStack["ports"];

beforeAll(async () => {
  stack = await startLocalStack();
  ({ dir, env, ports } = stack);
});

afterAll(() => stack.remove());

const api = () => stack.api;

/** The output once it shows `pattern`: the event tail polls the API, so its lines trail the state. */
async function printed(pattern: RegExp, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(stack.output()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  return stack.output();
}

const listApps = (): Promise<AppSummary[]> => listAppsOf(api());

describe("npm start and npm run demo:push", () => {
  // How fast is a bench's question (`npm run bench -- deploy`); here a generous bound only catches
  // a stack that stalls (15 s on an idle machine, the figure docs quote, failed under parallel load).
  it("deploys every example app to the simulator", async () => {
    const apps = await settledApps(stack, 45_000);
    const elapsed = Date.now() - stack.startedAt;
    console.log(`e2e: ${apps.length} apps deployed ${(elapsed / 1000).toFixed(1)} s after npm start`);
    expect(
      apps.map((app) => [app.name, app.status, app.lastDeploy?.outcome]),
      stack.output(),
    ).toEqual(EXAMPLE_APPS.map((name) => [name, "synced", "succeeded"]));
    expect(elapsed, stack.output()).toBeLessThan(30_000);

    // What it printed: the URLs, the simulator banner, one line per event, the summary.
    expect(stack.output()).toContain(`Tower API      ${api()}/api/apps`);
    expect(stack.output()).toContain(`dashboard      ${api()}/`);
    expect(stack.output()).toContain("tower: Fly simulator — nothing leaves this machine");
    expect(await printed(/tower-demo-hello\s+deploy\.succeeded\s+release 1/)).toMatch(
      /tower-demo-hello\s+deploy\.succeeded\s+release 1/,
    );
    expect(await printed(/tower-demo-site\s+build\.finished\s+registry\.fly\.io\/tower-demo-site@sha256:/)).toMatch(
      /tower-demo-site\s+build\.finished\s+registry\.fly\.io\/tower-demo-site@sha256:/,
    );
    // The statuses a git host would get (the local git server has no API), printed as log lines.
    const status =
      /\[feedback\] would POST log:\/\/\S+\/statuses\/[0-9a-f]{40} \{"state":"success","context":"tower\/tower-demo-hello"/;
    expect(await printed(status)).toMatch(status);
    // The Fly token (in the env file wrangler reads) is never printed, by the script or the Worker.
    const flyToken = /^FLY_API_TOKEN="(.+)"$/m.exec(readFileSync(join(dir, "dev.vars"), "utf8"))?.[1];
    expect(flyToken).toMatch(/^dev-fly-token-/);
    expect(stack.output()).not.toContain(flyToken);

    // The simulator holds the apps, with machines, as Tower made them.
    const sim = (await (await fetch(`http://127.0.0.1:${ports.fly}/_sim/state`)).json()) as {
      apps: { name: string }[];
      machines: { app: string; state: string }[];
    };
    for (const name of EXAMPLE_APPS) {
      expect(sim.apps.map((app) => app.name)).toContain(name);
      expect(sim.machines.filter((m) => m.app === name && m.state === "started").length).toBeGreaterThan(0);
    }
  }, 70_000);

  it("the tower CLI against the stack: docs/cli.md's examples, diff, status, sync --wait, errors", async () => {
    const stack = JSON.parse(readFileSync(join(dir, "stack.json"), "utf8")) as {
      adminToken: string;
      gitServer: string;
    };
    const flyToken = /^FLY_API_TOKEN="(.+)"$/m.exec(readFileSync(join(dir, "dev.vars"), "utf8"))![1]!;
    // A working copy of the config the stack serves (its two substitutions as the stack set them),
    // and a second one with one env value changed: where the documented commands run.
    const work = mkdtempSync(join(tmpdir(), "tower-e2e-cli-"));
    for (const copy of ["examples/config", "my-config"]) {
      cpSync(join(root, "examples/config"), join(work, copy), { recursive: true });
      const project = join(work, copy, "project.yaml");
      writeFileSync(
        project,
        withSubstitutions(readFileSync(project, "utf8"), { __PREFIX__: "tower-demo", __GIT__: stack.gitServer }),
      );
    }
    const hello = join(work, "my-config/hello/app.yaml");
    writeFileSync(
      hello,
      readFileSync(hello, "utf8").replace("GREETING: hello from tower", "GREETING: hello from a working copy"),
    );
    const cliEnv = {
      ...env,
      TOWER_URL: api(),
      TOWER_TOKEN: stack.adminToken,
      FLY_API_TOKEN: flyToken,
      FLY_API_BASE: `http://127.0.0.1:${ports.fly}`,
    };
    const tower = (args: string[], extra: NodeJS.ProcessEnv = {}) =>
      new Promise<{ code: number; out: string; stdout: string; stderr: string }>((done) =>
        execFile(
          process.execPath,
          [join(root, "bin/tower.mjs"), ...args],
          { cwd: work, env: { ...cliEnv, ...extra }, timeout: 60_000 },
          (error, stdout, stderr) =>
            done({ code: error ? Number(error.code) : 0, out: stdout + stderr, stdout, stderr }),
        ),
      );

    // The "done when", said directly (once the first deploys are over, however slow).
    for (let i = 0; i < 600 && (await listApps()).some((a) => a.status !== "synced"); i++)
      await new Promise((r) => setTimeout(r, 100));
    const status = await tower(["status", "--json"]);
    expect(status.code, status.out).toBe(0);
    const listed = JSON.parse(status.stdout) as { apps: AppSummary[] };
    expect(listed.apps.map((a) => [a.name, a.status])).toEqual(EXAMPLE_APPS.map((name) => [name, "synced"]));
    // Each app's image comes with its summary's last deploy (no request per app).
    for (const app of listed.apps as (AppSummary & { image: string | null })[])
      expect(app.image, app.name).toBe(app.lastDeploy?.image);
    expect(listed.apps.every((a) => typeof a.lastDeploy?.image === "string")).toBe(true);
    const same = await tower(["diff", "examples/config"]);
    expect(same.code, same.out).toBe(0);
    const changed = await tower(["diff", "my-config"]);
    expect(changed.code, changed.out).toBe(1);
    expect(
      changed.stdout
        .split("\n")
        .filter((l) => /^\s*[-+] {3}/.test(l))
        .map((l) => l.trim()),
    ).toEqual(['-   env.GREETING = "hello from tower"', '+   env.GREETING = "hello from a working copy"']);

    // --watch redraws when a deploy changes the table (as JSON lines when piped).
    const watch = spawn(
      process.execPath,
      [join(root, "bin/tower.mjs"), "status", "--watch", "--json", "--interval", "0.3"],
      {
        cwd: work,
        env: cliEnv,
      },
    );
    let watched = "";
    watch.stdout.on("data", (chunk: Buffer) => (watched += chunk.toString()));

    // Every documented example, in the doc's order (sync, history and show build on each other).
    const examples = cliExamples(root).filter((e) => e.local);
    expect(examples.length).toBeGreaterThanOrEqual(6);
    for (const example of examples) {
      const r = await tower(example.args);
      expect(masked(r.out), example.at).toBe(masked(example.output));
      expect(r.code, `${example.at}\n${r.out}`).toBe(example.exit);
    }

    const frames = () =>
      watched
        .trim()
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { apps: AppSummary[] });
    const board = (f: { apps: AppSummary[] }) => f.apps.find((a) => a.name === "tower-demo-board")!;
    // The examples deploy board twice: `sync --wait` (release 2), then `rollback 1 --wait` (release 3,
    // pinned until `unpin`). The watcher must have drawn each: release 2 synced, then release 3.
    const drawn = () => frames().map((f) => `${board(f).lastDeploy?.release}:${board(f).status}`);
    const settled = () => drawn().includes("2:synced") && drawn().some((d) => d.startsWith("3:"));
    for (let i = 0; i < 300 && !settled(); i++) await new Promise((r) => setTimeout(r, 100));
    watch.kill();
    expect(drawn()[0]).toBe("1:synced");
    expect(settled(), [...new Set(drawn())].join(" → ")).toBe(true);

    // Refusals name their cause.
    const wrong = await tower(["sync", "tower-demo-board"], { TOWER_TOKEN: "not-the-admin-token" });
    expect([wrong.code, wrong.stderr]).toEqual([
      2,
      "tower sync: Tower refused TOWER_TOKEN on POST /api/apps/tower-demo-board/sync (it needs the Worker's ADMIN_TOKEN) [tower_unauthorized]\n",
    ]);
    expect(wrong.out).not.toContain("not-the-admin-token");

    // A sync of the whole config that changes nothing settles with every app's last deploy.
    const all = await tower(["sync", "--wait", "--timeout", "60"]);
    expect(all.code, all.out).toBe(0);
    expect(
      all.stdout
        .trim()
        .split("\n")
        .map((l) => l.split(":")[0]),
    ).toEqual(EXAMPLE_APPS);
    rmSync(work, { recursive: true, force: true });
  }, 90_000);

  it("demo:push deploys exactly the changed app", async () => {
    const before = await listApps();
    const { stdout } = await run("npm", ["run", "demo:push"], { cwd: root, env, timeout: 45_000 });
    expect(stdout).toMatch(/POST \/webhook \(X-Hub-Signature-256\) → 202/);
    expect(stdout).toMatch(/tower-demo-hello release 2 succeeded \(cause: push:/);
    expect(stdout).toContain("only tower-demo-hello deployed");
    const after = await listApps();
    for (const app of after) {
      const was = before.find((b) => b.name === app.name)!;
      const expected = app.name === "tower-demo-hello" ? was.lastDeploy!.release + 1 : was.lastDeploy!.release;
      expect([app.name, app.lastDeploy?.release, app.status]).toEqual([app.name, expected, "synced"]);
    }
    const hello = (await (await fetch(`${api()}/api/apps/tower-demo-hello/deploys?limit=1`)).json()) as {
      items: { configHash: string }[];
    };
    expect(hello.items[0]!.configHash).toBe(after.find((a) => a.name === "tower-demo-hello")!.deployed.configHash);
  }, 60_000);

  it("demo:push --site rebuilds the app of the pushed app repo at the pushed commit", async () => {
    const { stdout } = await run("npm", ["run", "demo:push", "--", "--site"], { cwd: root, env, timeout: 45_000 });
    const sha = /committed ([0-9a-f]{12}) to .*tower-demo-site\.git/.exec(stdout)?.[1];
    expect(sha, stdout).toBeDefined();
    expect(stdout).toContain(`tower-demo-site release 2 succeeded (cause: push:`);
    expect(stdout).toContain(`source commit ${sha}`);
    expect(stdout).toMatch(/image registry\.fly\.io\/tower-demo-site@sha256:[0-9a-f]{64}/);
    expect(stdout).toContain("only tower-demo-site deployed");
    expect(await printed(/tower-demo-site\s+build\.started\s+registry\.fly\.io\/tower-demo-site:deployment-/)).toMatch(
      /tower-demo-site\s+build\.started\s+registry\.fly\.io\/tower-demo-site:deployment-/,
    );
  }, 60_000);

  it("the docs' `sh local` commands work against it", async () => {
    const stack = JSON.parse(readFileSync(join(dir, "stack.json"), "utf8")) as { adminToken: string };
    const local = snippets(root).filter((s) => s.lang === "sh" && s.words.includes("local"));
    expect(local.length).toBeGreaterThanOrEqual(2);
    for (const snippet of local) {
      for (const command of commands(snippet)) {
        const here = command
          .replaceAll("127.0.0.1:8787", `127.0.0.1:${ports.api}`)
          .replaceAll("127.0.0.1:4280", `127.0.0.1:${ports.fly}`);
        const { stdout } = await run("bash", ["-c", here], { env: { ...env, ADMIN_TOKEN: stack.adminToken } });
        const answer = JSON.parse(stdout);
        expect(answer.error, `${snippet.doc}:${snippet.line}: ${command}`).toBeUndefined();
      }
    }
  }, 30_000);

  it("Ctrl-C stops every process and port it started", async () => {
    const file = stack.stack();
    process.kill(-stack.process.pid!, "SIGINT");
    // npm itself exits on the signal; the script (stack.pid) cleans up and then exits.
    // The shell npm ran it in goes a moment after it, so wait for the whole group.
    for (let i = 0; i < 300 && (alive(file.pid) || alive(-stack.process.pid!)); i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(alive(file.pid), "the npm start script").toBe(false);
    expect(await printed(/tower: wrangler dev and workerd stopped/)).toContain(
      "tower: wrangler dev and workerd stopped",
    );
    expect(alive(-file.wranglerPid!), "wrangler's process group").toBe(false);
    expect(alive(-stack.process.pid!), "npm's process group").toBe(false);
    for (const port of [ports.api, ports.fly, ports.git]) expect(await listening(port), `port ${port}`).toBe(false);
    const { stdout } = await run("ps", ["-eo", "args"]);
    expect(stdout).not.toContain(`--port ${ports.api}`);
  }, 30_000);
});

async function listening(port: number): Promise<boolean> {
  try {
    await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(1000) });
    return true;
  } catch {
    return false;
  }
}
