/**
 * `npm start`: the Fly simulator, a git server holding the example repos, and `wrangler dev`
 * wired to both; then a first sync, the URLs, and one line per Tower event until Ctrl-C, which
 * stops every process this started. With FLY_API_TOKEN set (and FLY_API_BASE not), real Fly.
 */
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { startFlySim } from "../../test/fly-sim";
import { startGitServer } from "../../test/support/git-server";
import { checkPortsFree } from "./ports";
import { stopGroup } from "./process-group";
import { printBanner, printSummary, waitForDeploys } from "./report";
import { seedRepos } from "./seed-repos";
import { localSettings } from "./settings";
import { removeStack, writeStack } from "./stack-file";
import { tailEvents } from "./tail-events";
import { startWrangler, waitForHealth } from "./wrangler";

export async function startStack(root: string): Promise<void> {
  const began = Date.now();
  const s = localSettings(root);
  const log = (line: string) => process.stdout.write(`${line}\n`);
  rmSync(join(s.dir, "state"), { recursive: true, force: true });
  rmSync(join(s.dir, "git"), { recursive: true, force: true });
  mkdirSync(s.dir, { recursive: true });

  const cleanups: (() => Promise<unknown>)[] = [];
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log("tower: stopping…");
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    removeStack(s.dir);
    // A failed start (start.mjs sets exitCode, then signals) must not exit 0.
    process.exit(Math.max(code, Number(process.exitCode ?? 0)));
  };
  process.on("SIGINT", () => void stop(0));
  process.on("SIGTERM", () => void stop(0));

  await checkPortsFree({
    TOWER_PORT: s.port,
    TOWER_GIT_PORT: s.gitPort,
    ...(s.fly.mode === "simulator" ? { TOWER_FLY_PORT: s.flyPort } : {}),
  });
  const sim =
    s.fly.mode === "simulator"
      ? await startFlySim({
          port: s.flyPort,
          token: s.fly.token,
          // Under the test suite (test/e2e) its requests join the suite's log, which CI checks
          // against Fly's API description; otherwise they go to a file of this stack's own.
          record: process.env.TOWER_FLY_SIM_RECORD ? undefined : join(s.dir, "fly-sim-requests.jsonl"),
        })
      : null;
  if (sim) cleanups.push(() => sim.close());
  const flyApi = sim ? sim.url : s.fly.mode === "real" ? s.fly.base : "";
  const git = await startGitServer({ port: s.gitPort, root: join(s.dir, "git") });
  cleanups.push(() => git.close());
  const repos = await seedRepos(root, git.url, s.prefix);

  const api = `http://127.0.0.1:${s.port}`;
  const child = await startWrangler({
    root,
    dir: s.dir,
    port: s.port,
    vars: {
      CONFIG_REPO: repos.config.url,
      CONFIG_REF: "main",
      CONFIG_PATH: ".",
      FLY_API_BASE: flyApi,
      FLY_ORG: s.fly.mode === "real" ? s.fly.org : "personal",
      PUBLIC_API: "true",
      PUBLIC_URL: api,
      // The local git server has no status API: print the statuses and Deployments instead.
      FEEDBACK_MODE: "log",
      // The simulator's registry: where a finished build's image is looked up.
      ...(sim ? { FLY_REGISTRY_BASE: sim.url } : {}),
    },
    secrets: {
      FLY_API_TOKEN: s.fly.token,
      WEBHOOK_SECRET: s.webhookSecret,
      ADMIN_TOKEN: s.adminToken,
      API_TOKEN: s.apiToken,
    },
    // workerd's native stack traces say nothing to a reader of this terminal.
    onLine: (line) => {
      if (!/^\s*stack: /.test(line)) log(`wrangler │ ${line}`);
    },
  });
  cleanups.push(async () => {
    const clean = await stopGroup(child.pid!);
    log(clean ? "tower: wrangler dev and workerd stopped" : "tower: could not stop wrangler dev's processes");
  });
  child.on("exit", (code) => {
    if (!stopping) {
      log(`tower: wrangler dev exited (code ${code}); stopping the rest`);
      void stop(1);
    }
  });
  await waitForHealth(api, child, 60_000);
  writeStack(s.dir, {
    pid: process.pid,
    wranglerPid: child.pid ?? null,
    api,
    flyApi,
    flyMode: s.fly.mode,
    gitServer: git.url,
    configRepo: { name: repos.config.name, url: repos.config.url, branch: "main" },
    siteRepo: { name: repos.site.name, url: repos.site.url, branch: "main" },
    prefix: s.prefix,
    webhookSecret: s.webhookSecret,
    adminToken: s.adminToken,
    apiToken: s.apiToken,
  });

  const sync = await fetch(`${api}/api/sync`, { method: "POST", headers: { authorization: `Bearer ${s.adminToken}` } });
  if (sync.status !== 202) throw new Error(`POST /api/sync answered ${sync.status}: ${await sync.text()}`);
  printBanner(log, { api, flyApi, fly: s.fly, git: git.url, repos, settings: s });
  const tail = tailEvents(api, log);
  cleanups.push(async () => tail.stop());
  const apps = await waitForDeploys(api, 60_000);
  printSummary(log, apps, Date.now() - began);
}
