/**
 * The newcomer's path, for real: `npm start` (Fly simulator, git server, wrangler dev) deploys the
 * example apps, `npm run demo:push` deploys exactly the changed one, and Ctrl-C (SIGINT to the
 * terminal's process group) leaves no process or port behind. Own ports and folder, so a stack
 * someone runs by hand on the defaults is not disturbed.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../scripts/local/ports";
import { alive } from "../../scripts/local/process-group";
import type { AppSummary } from "../../src/durable/contract";
import { commands, snippets } from "../support/doc-snippets";

const run = promisify(execFile);
const root = resolve(import.meta.dirname, "../..");
const EXAMPLE_APPS = ["api", "board", "clock", "hello", "site"].map((name) => `tower-demo-${name}`);

let dir: string;
let env: NodeJS.ProcessEnv;
let start: ChildProcess;
let output = "";
let startedAt = 0;
let ports: { api: number; fly: number; git: number };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "tower-e2e-"));
  ports = { api: await freePort(), fly: await freePort(), git: await freePort() };
  env = {
    ...process.env,
    TOWER_LOCAL_DIR: dir,
    TOWER_PORT: String(ports.api),
    TOWER_FLY_PORT: String(ports.fly),
    TOWER_GIT_PORT: String(ports.git),
  };
  // The simulator, whatever the shell running the tests points at.
  for (const key of ["FLY_API_TOKEN", "FLY_API_BASE", "TOWER_DEMO_PREFIX"]) delete env[key];
  startedAt = Date.now();
  // detached: its own process group, like a terminal's foreground job that Ctrl-C signals.
  start = spawn("npm", ["start"], { cwd: root, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  start.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  start.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
});

afterAll(async () => {
  if (start.exitCode === null) {
    try {
      process.kill(-start.pid!, "SIGKILL");
    } catch {}
  }
  rmSync(dir, { recursive: true, force: true });
});

const api = () => `http://127.0.0.1:${ports.api}`;

/** The output once it shows `pattern`: the event tail polls the API, so its lines trail the state. */
async function printed(pattern: RegExp, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(output) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  return output;
}

async function listApps(): Promise<AppSummary[]> {
  try {
    const res = await fetch(`${api()}/api/apps`, { signal: AbortSignal.timeout(2000) });
    return res.ok ? ((await res.json()) as { apps: AppSummary[] }).apps : [];
  } catch {
    return [];
  }
}

describe("npm start and npm run demo:push", () => {
  it("deploys every example app to the simulator within 15 s", async () => {
    let apps: AppSummary[] = [];
    while (Date.now() - startedAt < 45_000 && start.exitCode === null) {
      apps = await listApps();
      if (apps.length > 0 && apps.every((app) => app.status === "synced" || app.status === "failed")) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const elapsed = Date.now() - startedAt;
    console.log(`e2e: ${apps.length} apps deployed ${(elapsed / 1000).toFixed(1)} s after npm start`);
    expect(
      apps.map((app) => [app.name, app.status, app.lastDeploy?.outcome]),
      output,
    ).toEqual(EXAMPLE_APPS.map((name) => [name, "synced", "succeeded"]));
    expect(elapsed, output).toBeLessThan(15_000);

    // What it printed: the URLs, the simulator banner, one line per event, the summary.
    expect(output).toContain(`Tower API      ${api()}/api/apps`);
    expect(output).toContain("tower: Fly simulator — nothing leaves this machine");
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
    expect(output).not.toContain(flyToken);

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
    const stack = JSON.parse(readFileSync(join(dir, "stack.json"), "utf8")) as { pid: number; wranglerPid: number };
    process.kill(-start.pid!, "SIGINT");
    // npm itself exits on the signal; the script (stack.pid) cleans up and then exits.
    // The shell npm ran it in goes a moment after it, so wait for the whole group.
    for (let i = 0; i < 300 && (alive(stack.pid) || alive(-start.pid!)); i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(alive(stack.pid), "the npm start script").toBe(false);
    expect(await printed(/tower: wrangler dev and workerd stopped/)).toContain(
      "tower: wrangler dev and workerd stopped",
    );
    expect(alive(-stack.wranglerPid), "wrangler's process group").toBe(false);
    expect(alive(-start.pid!), "npm's process group").toBe(false);
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
