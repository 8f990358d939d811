/**
 * `wrangler dev` as a child in its own process group (so Ctrl-C reaches it only through us, and
 * stopping the group stops workerd too). Settings go in as `--var` (plain values) and an env file
 * (secrets: they stay off the command line). No Cloudflare account, no telemetry.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { freePort } from "./ports";
import { killGroupNow } from "./process-group";

export interface WranglerOptions {
  root: string;
  dir: string;
  port: number;
  vars: Record<string, string>;
  secrets: Record<string, string>;
  /** Each line wrangler or the Worker prints. */
  onLine: (line: string) => void;
  /** Another entry module than wrangler.toml's `main` (same bindings): a bench's metered Worker. */
  main?: string;
}

export async function startWrangler(options: WranglerOptions): Promise<ChildProcess> {
  const envFile = join(options.dir, "dev.vars");
  const lines = Object.entries(options.secrets).map(([key, value]) => `${key}=${JSON.stringify(value)}`);
  writeFileSync(envFile, `${lines.join("\n")}\n`, { mode: 0o600 });
  const args = [
    // wrangler's own entry, not `npx`: no npm in between to print warnings or keep running.
    join(options.root, "node_modules/wrangler/bin/wrangler.js"),
    "dev",
    ...(options.main ? [options.main] : []),
    "--port",
    String(options.port),
    "--ip",
    "127.0.0.1",
    "--persist-to",
    join(options.dir, "state"),
    "--env-file",
    envFile,
    // wrangler's default inspector port would clash between two stacks.
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

/**
 * startWrangler for a bench: quiet, and ready (healthz answers) when it resolves. If it never comes
 * up, the error carries wrangler's last lines; if this process exits first, the group goes with it.
 */
export async function startWranglerReady(
  options: Omit<WranglerOptions, "onLine">,
  timeoutMs = 60_000,
): Promise<ChildProcess> {
  const last: string[] = [];
  const child = await startWrangler({
    ...options,
    onLine: (line) => {
      if (last.push(line) > 40) last.shift();
    },
  });
  const onExit = () => killGroupNow(child.pid);
  process.on("exit", onExit);
  child.once("exit", () => process.off("exit", onExit));
  await waitForHealth(`http://127.0.0.1:${options.port}`, child, timeoutMs).catch((e: Error) => {
    killGroupNow(child.pid);
    throw new Error(`${e.message}:\n${last.join("\n")}`);
  });
  return child;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escapes are what it removes.
const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g;

function stripAnsi(text: string): string {
  return text.replace(ANSI, "");
}
