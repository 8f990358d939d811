/**
 * `wrangler dev` as a child in its own process group (so Ctrl-C reaches it only through us, and
 * stopping the group stops workerd too). Settings go in as `--var` (plain values) and an env file
 * (secrets: they stay off the command line). No Cloudflare account, no telemetry.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { createInterface } from "node:readline";

export interface WranglerOptions {
  root: string;
  dir: string;
  port: number;
  vars: Record<string, string>;
  secrets: Record<string, string>;
  /** Each line wrangler or the Worker prints. */
  onLine: (line: string) => void;
}

export async function startWrangler(options: WranglerOptions): Promise<ChildProcess> {
  const envFile = join(options.dir, "dev.vars");
  const lines = Object.entries(options.secrets).map(([key, value]) => `${key}=${JSON.stringify(value)}`);
  writeFileSync(envFile, `${lines.join("\n")}\n`, { mode: 0o600 });
  const args = [
    // wrangler's own entry, not `npx`: no npm in between to print warnings or keep running.
    join(options.root, "node_modules/wrangler/bin/wrangler.js"),
    "dev",
    "--port",
    String(options.port),
    "--ip",
    "127.0.0.1",
    "--persist-to",
    join(options.dir, "state"),
    "--env-file",
    envFile,
    "--inspector-port",
    String(await freePort()),
    "--test-scheduled",
    "--show-interactive-dev-session=false",
    "--log-level",
    "warn",
    ...Object.entries(options.vars).flatMap(([key, value]) => ["--var", `${key}:${value}`]),
  ];
  const child = spawn(process.execPath, args, {
    cwd: options.root,
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  for (const stream of [child.stdout, child.stderr])
    createInterface({ input: stream! }).on("line", (line) => {
      const plain = stripAnsi(line);
      if (plain.trim() !== "") options.onLine(plain);
    });
  return child;
}

/** Polls /healthz until the Worker answers (wrangler builds the bundle first). */
export async function waitForHealth(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with code ${child.exitCode}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`wrangler dev did not answer ${url}/healthz within ${timeoutMs / 1000} s`);
}

/** Stops the whole process group: SIGTERM, then SIGKILL after `graceMs`. True when nothing is left. */
export async function stopGroup(pid: number, graceMs = 4000): Promise<boolean> {
  const alive = () => {
    try {
      process.kill(-pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  if (!alive()) return true;
  process.kill(-pid, "SIGTERM");
  const deadline = Date.now() + graceMs;
  while (alive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  if (alive()) process.kill(-pid, "SIGKILL");
  for (let i = 0; i < 40 && alive(); i++) await new Promise((r) => setTimeout(r, 50));
  return !alive();
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escapes are what it removes.
const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g;

function stripAnsi(text: string): string {
  return text.replace(ANSI, "");
}

/** A port nobody listens on now: wrangler's default inspector port clashes between two stacks. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}
