/**
 * `npm start` for end-to-end tests: its own ports and folder (so a stack someone runs by hand on
 * the defaults is not disturbed), in its own process group like a terminal's foreground job, with
 * everything it prints collected.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { freePort } from "../../scripts/local/ports";
import { alive, killGroupNow, stopGroup } from "../../scripts/local/process-group";
import type { StackFile } from "../../scripts/local/stack-file";
import type { AppSummary } from "../../src/durable/contract";

export const root = resolve(import.meta.dirname, "../..");
export const EXAMPLE_APPS = ["api", "board", "clock", "hello", "site"].map((name) => `tower-demo-${name}`);

export interface LocalStack {
  dir: string;
  env: NodeJS.ProcessEnv;
  ports: { api: number; fly: number; git: number };
  api: string;
  fly: string;
  /** `npm start` (npm's process; its group holds the script, wrangler and workerd). */
  process: ChildProcess;
  startedAt: number;
  /** Everything printed so far. */
  output(): string;
  /** .tower-local/stack.json of this run, once written. */
  stack(): StackFile;
  /**
   * Ctrl-C (SIGINT to npm's group), as a person stops it, so the script stops wrangler dev's own
   * group; whatever is still there after that is killed. Then the folder is removed.
   */
  remove(): Promise<void>;
}

export async function startLocalStack(): Promise<LocalStack> {
  const dir = mkdtempSync(join(tmpdir(), "tower-e2e-"));
  const ports = { api: await freePort(), fly: await freePort(), git: await freePort() };
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TOWER_LOCAL_DIR: dir,
    TOWER_PORT: String(ports.api),
    TOWER_FLY_PORT: String(ports.fly),
    TOWER_GIT_PORT: String(ports.git),
  };
  // The simulator, whatever the shell running the tests points at.
  for (const key of ["FLY_API_TOKEN", "FLY_API_BASE", "TOWER_DEMO_PREFIX"]) delete env[key];
  let output = "";
  const startedAt = Date.now();
  // detached: its own process group, like a terminal's foreground job that Ctrl-C signals.
  const child = spawn("npm", ["start"], { cwd: root, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return {
    dir,
    env,
    ports,
    api: `http://127.0.0.1:${ports.api}`,
    fly: `http://127.0.0.1:${ports.fly}`,
    process: child,
    startedAt,
    output: () => output,
    stack: () => JSON.parse(readFileSync(join(dir, "stack.json"), "utf8")) as StackFile,
    async remove() {
      let wranglerPid: number | null = null;
      try {
        wranglerPid = (JSON.parse(readFileSync(join(dir, "stack.json"), "utf8")) as StackFile).wranglerPid;
      } catch {
        // Never written, or already removed by the script's own shutdown.
      }
      if (alive(-child.pid!)) {
        process.kill(-child.pid!, "SIGINT");
        for (let i = 0; i < 200 && alive(-child.pid!); i++) await new Promise((r) => setTimeout(r, 50));
      }
      if (wranglerPid !== null) await stopGroup(wranglerPid);
      killGroupNow(child.pid);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function listApps(api: string): Promise<AppSummary[]> {
  try {
    const res = await fetch(`${api}/api/apps`, { signal: AbortSignal.timeout(2000) });
    return res.ok ? ((await res.json()) as { apps: AppSummary[] }).apps : [];
  } catch {
    return [];
  }
}

/** The apps once every one is synced or failed (or what there is at the deadline). */
export async function settledApps(stack: LocalStack, timeoutMs: number): Promise<AppSummary[]> {
  let apps: AppSummary[] = [];
  while (Date.now() - stack.startedAt < timeoutMs && stack.process.exitCode === null) {
    apps = await listApps(stack.api);
    if (apps.length > 0 && apps.every((app) => app.status === "synced" || app.status === "failed")) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return apps;
}
