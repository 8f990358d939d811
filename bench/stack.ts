/**
 * The stack the end-to-end benches run Tower in: the real git server, the Fly simulator and
 * `wrangler dev` (real workerd, ProjectDO and AppDOs), started in that order because the config
 * repo lives on the git server and the Worker's vars name both. `close()` stops all three.
 */
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { sign } from "@octokit/webhooks-methods";
import { freePort } from "../scripts/local/ports";
import { stopGroup } from "../scripts/local/process-group";
import { startWranglerReady } from "../scripts/local/wrangler";
import { startFlySim } from "../test/fly-sim";
import type { FixtureRepo } from "../test/support/fixture-repo";
import { startGitServer } from "../test/support/git-server";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** Tower's default cron (wrangler.toml), as `wrangler dev --test-scheduled` takes it. */
const CRON = "*/3 * * * *";

type SimOptions = NonNullable<Parameters<typeof startFlySim>[0]>;

export interface TowerOptions {
  /** The config repo Tower follows (its `main`, from the top). */
  config: FixtureRepo;
  /** More `--var`s (the repo and the Fly API base are set already). */
  vars?: Record<string, string>;
  secrets: Record<string, string>;
}

export async function startStack(name: string, sim: SimOptions = { record: false, rateLimit: false }) {
  const git = await startGitServer();
  const fly = await startFlySim(sim);
  let wrangler: ChildProcess | undefined;
  let base = "";
  let webhookSecret: string | undefined;
  return {
    git,
    sim: fly,
    /** Tower's URL, once `startTower` has resolved. */
    get base() {
      return base;
    },
    /** `wrangler dev` on a free port with its own state folder; resolves when /healthz answers. */
    async startTower(o: TowerOptions): Promise<string> {
      const port = await freePort();
      webhookSecret = o.secrets.WEBHOOK_SECRET;
      base = `http://127.0.0.1:${port}`;
      wrangler = await startWranglerReady({
        root: ROOT,
        dir: mkdtempSync(join(tmpdir(), `tower-bench-${name}-`)),
        port,
        vars: { CONFIG_REPO: o.config.url, CONFIG_REF: "main", CONFIG_PATH: ".", FLY_API_BASE: fly.url, ...o.vars },
        secrets: o.secrets,
      });
      return base;
    },
    /** The cron's tick, as Cloudflare would fire it. */
    async tick(): Promise<void> {
      const res = await fetch(`${base}/__scheduled?cron=${encodeURIComponent(CRON)}`);
      if (!res.ok) throw new Error(`scheduled: ${res.status} ${await res.text()}`);
    },
    /** A GitHub webhook signed with the WEBHOOK_SECRET Tower was given; Tower must accept it (202). */
    async deliver(event: string, payload: unknown): Promise<void> {
      if (!webhookSecret) throw new Error("startTower was given no WEBHOOK_SECRET");
      await deliverSigned(base, webhookSecret, event, payload);
    },
    async close(): Promise<void> {
      if (wrangler) await stopGroup(wrangler.pid!);
      await fly.close();
      await git.close();
    },
  };
}

/** Polls `check` every `everyMs` until it holds; throws after `timeoutMs`. */
/** POSTs `payload` as a GitHub `event` delivery signed with `secret`; Tower must accept it (202). */
export async function deliverSigned(base: string, secret: string, event: string, payload: unknown): Promise<void> {
  const body = JSON.stringify(payload);
  const res = await fetch(`${base}/webhook`, {
    method: "POST",
    body,
    headers: {
      "content-type": "application/json",
      "x-github-event": event,
      "x-github-delivery": crypto.randomUUID(),
      "x-hub-signature-256": await sign(secret, body),
    },
  });
  if (res.status !== 202) throw new Error(`webhook ${event}: ${res.status} ${await res.text()}`);
}

export async function until(check: () => Promise<boolean>, timeoutMs: number, everyMs = 25): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** `--flag N` from the command line, or `fallback`. */
export function numberArg(flag: string, fallback: number): number {
  const at = process.argv.indexOf(flag);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

/** CPU (user + system) of the workerd processes in wrangler's process group `pgid`, in ms (Linux /proc). */
export function workerdCpuMs(pgid: number): number {
  const tick = 100; // USER_HZ on Linux
  let total = 0;
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      if (Number(fields[2]) !== pgid || !name.includes("workerd")) continue;
      total += ((Number(fields[11]) + Number(fields[12])) * 1000) / tick;
    } catch {
      // The process ended between listing and reading.
    }
  }
  return total;
}
