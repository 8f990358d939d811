/**
 * Tower at scale (issue 16), end to end through `wrangler dev` (real workerd, ProjectDO, AppDOs),
 * the real git server and the Fly simulator. 1,000 git-sourced apps across 100 app repos
 * (`--apps N --repos M`).
 *  1. A no-op cron tick: git requests (target repos + 1), Fly requests (target 0), the most
 *     subrequests one invocation made (Tower's count, which the bench checks against the git
 *     server's total), slices, and the CPU the runtime's processes spent (from /proc).
 *  2. Reads: GET /api/apps and GET /api/apps/{app}: p50/p99 and the Durable Object calls each
 *     request made (the Worker's `X-Tower-DO-Calls`).
 *  3. Webhook under load: runs `bench/webhook.ts` (200 connections) and takes its p99s (webhook,
 *     GET /healthz, and the same requests on a path that does not read them).
 * No FLY_API_TOKEN is set, so each app's first deploy fails before its build ("FLY_API_TOKEN is
 * not set"): the bench measures Tower's reads and ticks, not 1,000 builds on this shared machine.
 */
import { spawnSync } from "node:child_process";
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "../scripts/local/ports";
import { stopGroup } from "../scripts/local/process-group";
import { startWrangler, waitForHealth } from "../scripts/local/wrangler";
import type { AppSummary, ConfigStatus } from "../src/durable/contract";
import { startFlySim } from "../test/fly-sim";
import { createRepo } from "../test/support/fixture-repo";
import { startGitServer } from "../test/support/git-server";
import { until, workerdCpuMs } from "./stack";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const TOKEN = `bench-${crypto.randomUUID()}`;
const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const APPS = flag("apps", 1000);
const REPOS = flag("repos", 100);
const READS = flag("reads", 200);

if (args.includes("--history-only")) {
  console.log(JSON.stringify(await historyPhase()));
  process.exit(0);
}

const git = await startGitServer();
const sim = await startFlySim({ record: false, rateLimit: false, token: `sim-${crypto.randomUUID()}` });
const repos = [];
for (let i = 0; i < REPOS; i += 10)
  repos.push(
    ...(await Promise.all(
      Array.from({ length: Math.min(10, REPOS - i) }, async (_, k) => {
        const repo = await createRepo(git.url, `svc${i + k}`);
        await repo.commit({ Dockerfile: "FROM nginx\n" });
        return repo;
      }),
    )),
  );
const config = await createRepo(git.url, "config");
const files: Record<string, string> = { "project.yaml": "project: scale\n" };
for (let i = 0; i < APPS; i++)
  files[`apps/app-${i}/app.yaml`] =
    `app: scale-app-${i}\norg: personal\nprimary_region: arn\nsource:\n  type: git\n  repo: ${repos[i % REPOS]!.url}\n  ref:\n    branch: main\n`;
await config.commit(files);

const dir = mkdtempSync(join(tmpdir(), "tower-bench-scale-"));
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
// wrangler's output goes to a file in the bench's folder, for when the runtime gives up under load.
const wranglerLog = join(dir, "wrangler.log");
console.log(`wrangler output: ${wranglerLog}`);
const wrangler = await startWrangler({
  root: ROOT,
  dir,
  port,
  onLine: (line) => appendFileSync(wranglerLog, `${line}\n`),
  vars: {
    CONFIG_REPO: config.url,
    CONFIG_REF: "main",
    CONFIG_PATH: ".",
    FLY_API_BASE: sim.url,
    FLY_REGISTRY_BASE: sim.url,
  },
  secrets: {
    WEBHOOK_SECRET: `bench-${crypto.randomUUID()}`,
    API_TOKEN: TOKEN,
  },
});
await waitForHealth(base, wrangler, 60_000);
const auth = { authorization: `Bearer ${TOKEN}` };

try {
  let t = performance.now();
  await tick();
  // The first tick (listings, evaluation, a notice to every AppDO) ends when its last part has run;
  // /api/config is polled until then, not the 1,000-app list, which would compete for the runtime.
  await until(async () => (await status()).lastTick !== null, 900_000, 250);
  const firstMs = performance.now() - t;
  await until(
    async () => {
      const all = await apps();
      return all.length === APPS && all.every((a) => a.status === "failed" || a.status === "synced");
    },
    900_000,
    2_000,
  );
  console.log(
    `wrangler dev on ${base}: ${APPS} git-sourced apps in ${REPOS} repos, first tick done in ${(firstMs / 1000).toFixed(1)} s, every app's first deploy settled in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );
  const first = (await status()).lastTick!;
  console.log(
    `  first tick (lists, reads config, tells every AppDO): ${first.slices} invocations, at most ${first.maxSubrequests} subrequests in one (limit 50)`,
  );

  // 2. The no-op tick.
  const gitRequests = () => Object.values(git.stats()).reduce((a, b) => a + b, 0);
  const [g, f] = [gitRequests(), sim.requests().length];
  const cpu = workerdCpuMs(wrangler.pid!);
  t = performance.now();
  const before = (await status()).lastTick?.finishedAt ?? null;
  await tick();
  let last: ConfigStatus["lastTick"] = null;
  await until(
    async () => {
      last = (await status()).lastTick;
      return last !== null && last.finishedAt !== before;
    },
    120_000,
    250,
  );
  const tickMs = performance.now() - t;
  const tickCpu = workerdCpuMs(wrangler.pid!) - cpu;
  const noop = { git: gitRequests() - g, fly: sim.requests().length - f };
  const report = last as unknown as NonNullable<ConfigStatus["lastTick"]>;
  console.log(
    `no-op tick: git requests ${noop.git} (target ${REPOS + 1}), Fly requests ${noop.fly} (target 0), ${report.slices} invocations, at most ${report.maxSubrequests} subrequests in one (limit 50)`,
  );
  console.log(`  wall ${tickMs.toFixed(0)} ms (includes the bench's polling), runtime CPU ${tickCpu.toFixed(0)} ms`);

  // 3. Reads.
  const list = await timed(20, async () => fetch(`${base}/api/apps`, { headers: auth }));
  const one = await timed(READS, async (i) =>
    fetch(`${base}/api/apps/scale-app-${(i * 37) % APPS}`, { headers: auth }),
  );
  console.log(
    `GET /api/apps (${APPS} apps):   p50 ${list.p50.toFixed(1)} ms  p99 ${list.p99.toFixed(1)} ms  DO calls/request ${list.calls}`,
  );
  console.log(
    `GET /api/apps/{app}:          p50 ${one.p50.toFixed(1)} ms  p99 ${one.p99.toFixed(1)} ms  DO calls/request ${one.calls}`,
  );

  // 4. Storage: the AppDOs' SQLite files as workerd keeps them.
  const doDir = join(dir, "state", "v3", "do");
  const appFiles = readdirSync(doDir)
    .filter((d) => d.includes("AppDO"))
    .flatMap((d) => readdirSync(join(doDir, d)).map((f) => join(doDir, d, f)))
    .filter((f) => f.endsWith(".sqlite"));
  const bytes = appFiles.reduce((sum, f) => sum + readFileSync(f).length, 0) / Math.max(1, appFiles.length);
  console.log(
    `AppDO SQLite after one (failed) deploy each: ${bytes.toFixed(0)} bytes per AppDO (${appFiles.length} files)`,
  );
  await stopGroup(wrangler.pid!);
  const history = await historyPhase();

  // 5. Webhook under load, side by side with /healthz (its own wrangler dev).
  const duration = flag("duration", 10);
  const run = spawnSync("npx", ["tsx", "bench/webhook.ts", "--duration", String(duration)], {
    cwd: ROOT,
    encoding: "utf8",
  });
  const line = run.stdout.trim().split("\n").at(-1) ?? "{}";
  process.stdout.write(
    run.stdout
      .split("\n")
      .slice(0, -1)
      .map((l) => `  webhook bench: ${l}`)
      .join("\n") + "\n",
  );
  const hook = JSON.parse(line) as Record<string, number>;

  console.log(
    JSON.stringify({
      bench: "scale",
      apps: APPS,
      repos: REPOS,
      git_requests: noop.git,
      fly_requests: noop.fly,
      max_subrequests_per_invocation: Math.max(report.maxSubrequests, first.maxSubrequests),
      tick_slices: report.slices,
      first_sync_max_subrequests: first.maxSubrequests,
      first_sync_slices: first.slices,
      first_sync_ms: Math.round(firstMs),
      tick_cpu_ms: Math.round(tickCpu),
      do_calls_per_app_read: one.calls,
      do_calls_per_list: list.calls,
      api_apps_p50_ms: round(list.p50),
      api_apps_p99_ms: round(list.p99),
      api_app_p99_ms: round(one.p99),
      wake_ratio: history.wake_ratio,
      wake_history_ms: history.wake_history_ms,
      wake_fresh_ms: history.wake_fresh_ms,
      history_events: history.events,
      bytes_per_app_do: history.bytes_per_app_do,
      bytes_per_app_do_all_recent: history.bytes_per_app_do_all_recent,
      bytes_per_app_do_one_deploy: Math.round(bytes),
      project_wake_ratio: history.project_wake_ratio,
      project_wake_ratio_compacted: history.project_wake_ratio_compacted,
      project_history_events: history.project_history_events,
      bytes_per_project_do: history.bytes_per_project_do,
      bytes_per_project_do_all_recent: history.bytes_per_project_do_all_recent,
      webhook_p99_ms: hook.p99_ms ?? null,
      healthz_p99_ms: hook.healthz_p99_ms ?? null,
      webhook_baseline_p99_ms: hook.baseline_p99_ms ?? null,
      webhook_p99_vs_baseline: hook.p99_vs_baseline ?? null,
      webhook_answered_202: hook.answered_202 ?? null,
      webhook_recorded: hook.recorded ?? null,
    }),
  );
} finally {
  await stopGroup(wrangler.pid!).catch(() => undefined);
  await sim.close();
  await git.close();
}

async function tick() {
  const res = await fetch(`${base}/__scheduled?cron=${encodeURIComponent("*/3 * * * *")}`);
  if (!res.ok) throw new Error(`scheduled: ${res.status} ${await res.text()}`);
}

async function status(): Promise<ConfigStatus> {
  return (await (await fetch(`${base}/api/config`, { headers: auth })).json()) as ConfigStatus;
}

async function apps(): Promise<AppSummary[]> {
  const res = await fetch(`${base}/api/apps`, { headers: auth });
  if (!res.ok) throw new Error(`GET /api/apps: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { apps: AppSummary[] }).apps;
}

/** Sequential requests: latency percentiles and the largest DO-call count any one reported. */
async function timed(n: number, request: (i: number) => Promise<Response>) {
  const ms: number[] = [];
  let calls = 0;
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const res = await request(i);
    await res.arrayBuffer();
    ms.push(performance.now() - t);
    if (!res.ok) throw new Error(`read ${i}: ${res.status}`);
    calls = Math.max(calls, Number(res.headers.get("x-tower-do-calls") ?? Number.NaN));
  }
  ms.sort((a, b) => a - b);
  const at = (p: number) => ms[Math.min(ms.length - 1, Math.floor(p * ms.length))]!;
  return { p50: at(0.5), p99: at(0.99), calls };
}

function round(n: number) {
  return Number(n.toFixed(1));
}

/**
 * History: ProjectDOs given 50,000 pushes each (`--pushes N`, received and routed: 100,000 events)
 * are measured as the AppDOs below, against one given a single push. AppDOs given 10,000 finished deploys each (`--deploys N`; 11 events each, so 110,000
 * events) through the real decider, and one given a single deploy:
 *  - "recent": all deploys from yesterday, so retention keeps every event (the log is whole);
 *  - "old": all deploys from 2024, older than the 90-day window: the alarms the seeding arms drop
 *    the events a snapshot covers, a slice at a time; the bench waits until no alarm is pending.
 * Bytes: the database size each reports. Wakes: after each restart of `wrangler dev` (persisted
 * state, so every object is cold) the first call to each is timed, and it runs one alarm before it
 * answers: cold start → first alarm done, the snapshot + the events after it, and one round trip.
 * A throwaway object is woken first in each run, so no measured one pays the Worker's own start.
 * Ratio of medians against the one-deploy object; `wake_ratio` is the whole (recent) log's.
 */
async function historyPhase() {
  const deploys = flag("deploys", 10_000);
  const dir = mkdtempSync(join(tmpdir(), "tower-bench-history-"));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const start = async () => {
    const child = await startWrangler({
      root: ROOT,
      dir,
      port,
      vars: { TEST_HOOKS: "true" },
      secrets: { API_TOKEN: TOKEN },
      onLine: (line) => appendFileSync(join(dir, "wrangler.log"), `${line}\n`),
    });
    await waitForHealth(base, child, 60_000);
    return child;
  };
  type Answer = { version: number; first: number; bytes: number; pending: boolean; ms: number };
  // One kind of object seeded through its bench route: AppDOs with deploys (11 events each) in
  // batches of 500, ProjectDOs with pushes (received and routed: 2 events each) in batches of 5,000.
  const kinds = {
    app: { route: "apps", unit: "deploys", total: deploys, batch: 500 },
    project: { route: "projects", unit: "pushes", total: flag("pushes", 50_000), batch: 5_000 },
  } as const;
  type Kind = keyof typeof kinds;
  const callOf =
    (kind: Kind) =>
    async (name: string, query: string): Promise<Answer> => {
      const t = performance.now();
      const res = await fetch(`${base}/__test/${kinds[kind].route}/${name}/history?${query}`, { method: "POST" });
      if (!res.ok) throw new Error(`history ${name}: ${res.status} ${await res.text()}`);
      return { ...((await res.json()) as Omit<Answer, "ms">), ms: performance.now() - t };
    };
  const call = callOf("app");
  const callProject = callOf("project");
  const seedOf = (kind: Kind) => async (name: string, from: string) => {
    const { unit, total, batch } = kinds[kind];
    const send = callOf(kind);
    const t = performance.now();
    let last = await send(name, `${unit}=0`);
    for (let done = 0; done < total; done += batch)
      last = await send(name, `${unit}=${Math.min(batch, total - done)}&from=${from}`);
    const seeded = last;
    // Retention runs in the alarms the seeding armed: wait until none is pending.
    const deadline = Date.now() + 300_000;
    while (last.pending) {
      if (Date.now() > deadline) throw new Error(`${name}: retention still running after 300 s`);
      await new Promise((r) => setTimeout(r, 200));
      last = await send(name, `${unit}=0`);
    }
    console.log(
      `${kind} ${name}: ${total} ${unit} = ${seeded.version} events in ${((performance.now() - t) / 1000).toFixed(1)} s; ` +
        `database ${seeded.bytes} bytes seeded, ${last.bytes} after retention (${last.version - last.first + 1} events kept)`,
    );
    return last;
  };
  const seed = seedOf("app");
  const seedProject = seedOf("project");
  const pushes = kinds.project.total;
  const yesterday = new Date(Date.now() - 86_400_000).toISOString();
  let child = await start();
  const seeded = { recent: null as Answer | null, old: null as Answer | null };
  const seededProject = { recent: null as Answer | null, old: null as Answer | null };
  try {
    seeded.recent = await seed("history-recent", yesterday);
    seeded.old = await seed("history-old", "2024-01-01T00:00:00Z");
    await call("history-fresh", `deploys=1&from=${yesterday}`);
    seededProject.recent = await seedProject("recent", yesterday);
    seededProject.old = await seedProject("old", "2024-01-01T00:00:00Z");
    await callProject("fresh", `pushes=1&from=${yesterday}`);
  } finally {
    await stopGroup(child.pid!);
  }
  const ages = ["recent", "old", "fresh"] as const;
  const wakes = { recent: [] as number[], old: [] as number[], fresh: [] as number[] };
  const projectWakes = { recent: [] as number[], old: [] as number[], fresh: [] as number[] };
  for (let round = 0; round < 7; round++) {
    child = await start();
    try {
      // The Worker's and each DO class's first run (module load, JIT) is paid by a throwaway object.
      await call(`history-warm-${round}`, "deploys=0&alarm=1");
      await callProject(`warm-${round}`, "pushes=0&alarm=1");
      const order = round % 2 === 0 ? ages : [...ages].reverse();
      for (const which of order) wakes[which].push((await call(`history-${which}`, "deploys=0&alarm=1")).ms);
      for (const which of order) projectWakes[which].push((await callProject(which, "pushes=0&alarm=1")).ms);
    } finally {
      await stopGroup(child.pid!);
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const [r, o, f] = [median(wakes.recent), median(wakes.old), median(wakes.fresh)];
  const [pr, po, pf] = [median(projectWakes.recent), median(projectWakes.old), median(projectWakes.fresh)];
  const all = (xs: number[]) => xs.map(Math.round).join(",");
  console.log(
    `AppDO cold start → first alarm done: ${seeded.recent!.version} events ${r.toFixed(1)} ms, compacted ${o.toFixed(1)} ms, one deploy ${f.toFixed(1)} ms: ` +
      `×${(r / f).toFixed(2)} / ×${(o / f).toFixed(2)} (goal ≤ 1.5)  [${all(wakes.recent)} / ${all(wakes.old)} / ${all(wakes.fresh)}]`,
  );
  console.log(
    `ProjectDO cold start → first pass done: ${seededProject.recent!.version} events ${pr.toFixed(1)} ms, compacted ${po.toFixed(1)} ms, one push ${pf.toFixed(1)} ms: ` +
      `×${(pr / pf).toFixed(2)} / ×${(po / pf).toFixed(2)} (goal ≤ 1.5)  [${all(projectWakes.recent)} / ${all(projectWakes.old)} / ${all(projectWakes.fresh)}]`,
  );
  console.log(
    `bytes per AppDO after ${deploys} deploys: ${seeded.old!.bytes} (older than 90 days, compacted) vs ${seeded.recent!.bytes} (all recent)`,
  );
  console.log(
    `bytes per ProjectDO after ${pushes} pushes: ${seededProject.old!.bytes} (older than 90 days, compacted) vs ${seededProject.recent!.bytes} (all recent)`,
  );
  // About 80 MB of SQLite files: the machine is shared.
  rmSync(dir, { recursive: true, force: true });
  return {
    wake_ratio: Number((r / f).toFixed(2)),
    wake_ratio_compacted: Number((o / f).toFixed(2)),
    wake_history_ms: round(r),
    wake_fresh_ms: round(f),
    events: seeded.recent!.version,
    bytes_per_app_do: seeded.old!.bytes,
    bytes_per_app_do_all_recent: seeded.recent!.bytes,
    project_wake_ratio: Number((pr / pf).toFixed(2)),
    project_wake_ratio_compacted: Number((po / pf).toFixed(2)),
    project_history_events: seededProject.recent!.version,
    bytes_per_project_do: seededProject.old!.bytes,
    bytes_per_project_do_all_recent: seededProject.recent!.bytes,
  };
}
