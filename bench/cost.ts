/**
 * What Tower costs a month on Cloudflare, counted by running it: for 10 / 100 / 1,000 apps
 * (`--apps 10,100,1000`, one app repo per 10 apps) with the default cron and `--pushes-per-day N`
 * (default 20), through `wrangler dev` (real workerd) with a meter around Tower's Worker and
 * Durable Objects (bench/cost/worker.ts), the real git server and the Fly simulator (builds and
 * deploys included). Per size:
 *  1. Setup (not counted): every app evaluated and told once, without a Fly token (so the first
 *     deploys fail at once instead of 1,000 builds), then `wrangler dev` again on the same state
 *     with a token; each repo the window pushes to gets one push that deploys its apps.
 *  2. Window: `--ticks K` cron ticks (default 3), then `--pushes M` pushes (default 2) to app repos,
 *     each redeploying the 10 apps that follow that repo (webhook → ProjectDO → AppDOs → build →
 *     deploy), each waited out until the meter is quiet.
 *  3. A month = ticks a month × (per tick) + pushes a month × (per push); storage is the objects'
 *     database sizes at the end. Priced from bench/prices.json (one file, dated, with sources).
 */
import { appendFileSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import examples from "@octokit/webhooks-examples";
import { freePort } from "../scripts/local/ports";
import { stopGroup } from "../scripts/local/process-group";
import { startWrangler, waitForHealth } from "../scripts/local/wrangler";
import type { AppSummary } from "../src/durable/contract";
import { mapLimit } from "../src/durable/project/ports";
import { startFlySim } from "../test/fly-sim";
import { createRepo, type FixtureRepo } from "../test/support/fixture-repo";
import { startGitServer } from "../test/support/git-server";
import { deliverSigned, until, workerdCpuMs } from "./stack";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const SECRET = `bench-${crypto.randomUUID()}`;
const TOKEN = `bench-${crypto.randomUUID()}`;
const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1]! : fallback;
};
const SIZES = option("apps", "10,100,1000").split(",").map(Number);
const PUSHES_PER_DAY = Number(option("pushes-per-day", "20"));
const TICKS = Number(option("ticks", "3"));
const PUSHES = Number(option("pushes", "2"));
const prices = JSON.parse(readFileSync(join(ROOT, "bench/prices.json"), "utf8")) as typeof import("./prices.json");
const APPS_PER_REPO = 10;
const DAYS = 30;
const CRON = cronOf(readFileSync(join(ROOT, "wrangler.toml"), "utf8"));
const TICKS_PER_MONTH = (24 * 60 * DAYS) / CRON.everyMinutes;
const auth = { authorization: `Bearer ${TOKEN}` };
const pushExample = examples.find((e) => e.name === "push")!.examples[4] as Record<string, unknown>;

interface Meter {
  workerRequests: number;
  objectsSeen: number;
  storageBytes: number;
  doRequests: { project: number; app: number };
  doActiveMs: { project: number; app: number };
  inFlight: number;
  rowsRead: number;
  rowsWritten: number;
  alarmsSet: number;
}

/** Usage of one unit of work (a tick, a push), per unit. */
interface Usage {
  workerRequests: number;
  doRequests: number;
  doGbS: number;
  rowsRead: number;
  rowsWritten: number;
  cpuMs: number;
}

const git = await startGitServer();
const sim = await startFlySim({ record: false, rateLimit: false });
const results = [];
try {
  for (const apps of SIZES) results.push(await measure(apps));
} finally {
  await sim.close();
  await git.close();
}

console.log(
  `\nTower's own usage a month (${CRON.expr}: ${TICKS_PER_MONTH} ticks; ${PUSHES_PER_DAY} pushes a day, each redeploying ${APPS_PER_REPO} apps), prices read ${prices.read}:`,
);
const rows = [
  ["apps", "Worker req", "DO req", "DO GB-s", "storage MB", "rows read", "rows written", "bill $", "list $"],
  ...results.map((r) => [
    r.apps,
    r.month.workerRequests,
    r.month.doRequests,
    r.month.doGbS.toFixed(0),
    (r.storageBytes / 1e6).toFixed(1),
    r.month.rowsRead,
    r.month.rowsWritten,
    r.price.bill.toFixed(2),
    r.price.list.toFixed(2),
  ]),
].map((row) =>
  row.map((cell) => String(Math.round(Number(cell)) === Number(cell) ? Number(cell).toLocaleString("en") : cell)),
);
for (const row of rows) console.log(row.map((cell, i) => cell.padStart(i === 0 ? 5 : 13)).join(""));
const fly = prices.fly.shared_cpu_1x_256mb_per_month;
console.log(
  `flycd on the smallest Fly machine (shared-cpu-1x 256 MB) around the clock: $${fly.toFixed(2)} a month. ` +
    `Tower's bill is the Workers Paid minimum ($${prices.workers_paid.base_per_month}) while usage stays inside its allowances; "list $" is the same usage at list rates without them.`,
);
console.log(
  JSON.stringify({
    bench: "cost",
    pushes_per_day: PUSHES_PER_DAY,
    ticks_per_month: TICKS_PER_MONTH,
    prices_read: prices.read,
    sizes: results.map((r) => ({
      apps: r.apps,
      repos: r.repos,
      per_tick: r.tick,
      per_push: r.push,
      month: { ...r.month, doGbS: Math.round(r.month.doGbS), storageBytes: r.storageBytes },
      bill_usd: Number(r.price.bill.toFixed(2)),
      list_usd: Number(r.price.list.toFixed(4)),
    })),
    flycd_fly_usd: fly,
  }),
);

async function measure(apps: number) {
  const repos = Math.max(1, Math.ceil(apps / APPS_PER_REPO));
  const prefix = `cost${apps}`;
  const appRepos: { repo: FixtureRepo; head: string }[] = [];
  for (let i = 0; i < repos; i += 10)
    appRepos.push(
      ...(await Promise.all(
        Array.from({ length: Math.min(10, repos - i) }, async (_, k) => {
          const repo = await createRepo(git.url, `${prefix}-svc${i + k}`);
          return { repo, head: await repo.commit({ Dockerfile: "FROM nginx\n" }) };
        }),
      )),
    );
  const config = await createRepo(git.url, `${prefix}-config`);
  const files: Record<string, string> = { "project.yaml": `project: ${prefix}\n` };
  for (let i = 0; i < apps; i++)
    files[`apps/app-${i}/app.yaml`] =
      `app: ${prefix}-app-${i}\norg: personal\nprimary_region: arn\nsource:\n  type: git\n  repo: ${appRepos[i % repos]!.repo.url}\n  ref:\n    branch: main\n`;
  await config.commit(files);
  const followers = (r: number) => Array.from({ length: apps }, (_, i) => i).filter((i) => i % repos === r);

  const dir = mkdtempSync(join(tmpdir(), `tower-bench-cost-${apps}-`));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const vars = {
    CONFIG_REPO: config.url,
    CONFIG_REF: "main",
    CONFIG_PATH: ".",
    FLY_API_BASE: sim.url,
    FLY_REGISTRY_BASE: sim.url,
  };
  const secrets = { WEBHOOK_SECRET: SECRET, API_TOKEN: TOKEN };
  const start = async (token: boolean) => {
    const child = await startWrangler({
      root: ROOT,
      dir,
      port,
      main: "bench/cost/worker.ts",
      vars,
      secrets: token ? { ...secrets, FLY_API_TOKEN: "bench" } : secrets,
      onLine: (line) => appendFileSync(join(dir, "wrangler.log"), `${line}\n`),
    });
    await waitForHealth(base, child, 120_000);
    return child;
  };
  console.log(`${apps} apps: wrangler output in ${join(dir, "wrangler.log")}`);

  // 1. Setup: config read and every app told (its first deploy fails: no Fly token yet).
  let t = performance.now();
  let wrangler = await start(false);
  try {
    await scheduled(base);
    await until(
      async () => {
        const all = await list(base);
        return all.length === apps && all.every((a) => a.status === "failed" || a.status === "synced");
      },
      1_800_000,
      250,
    );
  } finally {
    await stopGroup(wrangler.pid!);
  }
  wrangler = await start(true);
  try {
    const pushed = Array.from({ length: PUSHES }, (_, k) => k % repos);
    for (const r of new Set(pushed))
      await push(
        base,
        appRepos[r]!,
        followers(r).map((i) => `${prefix}-app-${i}`),
      );
    console.log(`${apps} apps in ${repos} repos: set up in ${((performance.now() - t) / 1000).toFixed(0)} s`);

    // 2. The window: ticks, then pushes, each counted on its own.
    await meter(base, true);
    let cpu = workerdCpuMs(wrangler.pid!);
    for (let k = 0; k < TICKS; k++) {
      await scheduled(base);
      await quiet(base);
    }
    const tick = per(await meter(base, true), TICKS, workerdCpuMs(wrangler.pid!) - cpu);
    cpu = workerdCpuMs(wrangler.pid!);
    t = performance.now();
    for (const r of pushed)
      await push(
        base,
        appRepos[r]!,
        followers(r).map((i) => `${prefix}-app-${i}`),
      );
    const push1 = per(await meter(base, true), PUSHES, workerdCpuMs(wrangler.pid!) - cpu);
    const pushMs = (performance.now() - t) / PUSHES;
    // Storage as Cloudflare bills it (each object's database size), read once every object has
    // answered a request in this process: one read of each app's deploys, after the window.
    await mapLimit(
      Array.from({ length: apps }, (_, i) => `${prefix}-app-${i}`),
      6,
      async (name) => {
        const res = await fetch(`${base}/api/apps/${name}/deploys?limit=1`, { headers: auth });
        if (!res.ok) throw new Error(`GET deploys of ${name}: ${res.status}`);
      },
    );
    await fetch(`${base}/api/config`, { headers: auth });
    const after = await meter(base);
    if (after.objectsSeen !== apps + 1)
      throw new Error(`storage read from ${after.objectsSeen} objects, not ${apps + 1}`);
    const storageBytes = after.storageBytes;
    const pushesPerMonth = PUSHES_PER_DAY * DAYS;
    const month = Object.fromEntries(
      Object.keys(tick).map((k) => {
        const key = k as keyof Usage;
        const total = tick[key] * TICKS_PER_MONTH + push1[key] * pushesPerMonth;
        return [key, key === "doGbS" ? total : Math.round(total)];
      }),
    ) as unknown as Usage;
    console.log(`  per tick: ${JSON.stringify(round(tick))}`);
    console.log(`  per push (${(pushMs / 1000).toFixed(1)} s until quiet): ${JSON.stringify(round(push1))}`);
    return {
      apps,
      repos,
      tick: round(tick),
      push: round(push1),
      month,
      storageBytes,
      price: price(month, storageBytes),
    };
  } finally {
    await stopGroup(wrangler.pid!);
  }

  /** A commit on the repo and its signed GitHub push; waits until its apps run it and all is quiet. */
  async function push(base: string, target: { repo: FixtureRepo; head: string }, names: string[]) {
    const before = target.head;
    const images = await machineImages(names);
    target.head = await target.repo.commit(
      { Dockerfile: `FROM nginx\n# ${crypto.randomUUID()}\n` },
      { parent: before },
    );
    const payload = {
      ...pushExample,
      ref: "refs/heads/main",
      before,
      after: target.head,
      deleted: false,
      repository: { ...(pushExample.repository as object), clone_url: target.repo.url },
    };
    await deliverSigned(base, SECRET, "push", payload);
    // Watched on the simulator, not through Tower's API, so the wait adds nothing to the meter.
    await until(
      async () => {
        const now = await machineImages(names);
        return names.every((n) => now.get(n) !== undefined && now.get(n) !== images.get(n));
      },
      600_000,
      250,
    );
    await quiet(base);
  }
}

/** Each app's image on its started machines (apps without one are left out). */
async function machineImages(names: string[]): Promise<Map<string, string>> {
  const wanted = new Set(names);
  const images = new Map<string, string>();
  for (const m of sim.state().machines) {
    const image = (m.config as { image?: string }).image;
    if (wanted.has(m.app) && m.state === "started" && image && !m.name.includes("builder")) images.set(m.app, image);
  }
  return images;
}

function per(m: Meter, n: number, cpuMs: number): Usage {
  return {
    workerRequests: m.workerRequests / n,
    doRequests: (m.doRequests.project + m.doRequests.app) / n,
    doGbS:
      (((m.doActiveMs.project + m.doActiveMs.app) / 1000) * prices.durable_objects.duration_gb_s.billed_memory_gb) / n,
    rowsRead: m.rowsRead / n,
    // Cloudflare bills each setAlarm() as a row written.
    rowsWritten: (m.rowsWritten + m.alarmsSet) / n,
    cpuMs: cpuMs / n,
  };
}

/** The month's bill for Tower alone on a Workers Paid account, and its usage at list rates. */
function price(u: Usage, storageBytes: number) {
  const w = prices.workers_paid;
  const d = prices.durable_objects;
  const over = (used: number, included: number, perMillion: number, scale = 1e6) =>
    (Math.max(0, used - included) / scale) * perMillion;
  const storageGb = storageBytes / 1e9;
  const bill =
    w.base_per_month +
    over(u.workerRequests, w.requests.included_per_month, w.requests.per_million) +
    over(u.cpuMs, w.cpu_ms.included_per_month, w.cpu_ms.per_million) +
    over(u.doRequests, d.requests.included_per_month, d.requests.per_million) +
    over(u.doGbS, d.duration_gb_s.included_per_month, d.duration_gb_s.per_million) +
    over(u.rowsRead, d.sqlite_rows_read.included_per_month, d.sqlite_rows_read.per_million) +
    over(u.rowsWritten, d.sqlite_rows_written.included_per_month, d.sqlite_rows_written.per_million) +
    over(storageGb, d.sqlite_storage_gb_month.included, d.sqlite_storage_gb_month.per_gb_month, 1);
  const list =
    (u.workerRequests / 1e6) * w.requests.per_million +
    (u.cpuMs / 1e6) * w.cpu_ms.per_million +
    (u.doRequests / 1e6) * d.requests.per_million +
    (u.doGbS / 1e6) * d.duration_gb_s.per_million +
    (u.rowsRead / 1e6) * d.sqlite_rows_read.per_million +
    (u.rowsWritten / 1e6) * d.sqlite_rows_written.per_million +
    storageGb * d.sqlite_storage_gb_month.per_gb_month;
  return { bill, list };
}

async function meter(base: string, reset = false): Promise<Meter> {
  return (await (await fetch(`${base}/__meter${reset ? "?reset=1" : ""}`)).json()) as Meter;
}

/** Nothing in flight and no new request for 3 s in a row: the work a tick or push started is done. */
async function quiet(base: string) {
  let last = "";
  let still = 0;
  const deadline = Date.now() + 600_000;
  while (still < 6) {
    if (Date.now() > deadline) throw new Error("the stack never went quiet");
    await new Promise((r) => setTimeout(r, 500));
    const m = await meter(base);
    const seen = JSON.stringify([m.workerRequests, m.doRequests, m.rowsWritten, m.alarmsSet]);
    still = m.inFlight === 0 && seen === last ? still + 1 : 0;
    last = seen;
  }
}

async function scheduled(base: string) {
  const res = await fetch(`${base}/__scheduled?cron=${encodeURIComponent(CRON.expr)}`);
  if (!res.ok) throw new Error(`scheduled: ${res.status} ${await res.text()}`);
}

async function list(base: string): Promise<AppSummary[]> {
  const res = await fetch(`${base}/api/apps`, { headers: auth });
  if (!res.ok) throw new Error(`GET /api/apps: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { apps: AppSummary[] }).apps;
}

/** wrangler.toml's cron, which must be `*\/N * * * *` (Tower's default is every 3 minutes). */
function cronOf(toml: string): { expr: string; everyMinutes: number } {
  const expr = /crons\s*=\s*\["([^"]+)"\]/.exec(toml)?.[1] ?? "";
  const every = /^\*\/(\d+) \* \* \* \*$/.exec(expr)?.[1];
  if (!every) throw new Error(`bench/cost.ts reads only "*/N * * * *" crons, not ${JSON.stringify(expr)}`);
  return { expr, everyMinutes: Number(every) };
}

function round(u: Usage): Usage {
  const r = (n: number, digits = 1) => Number(n.toFixed(digits));
  return {
    workerRequests: r(u.workerRequests),
    doRequests: r(u.doRequests),
    doGbS: r(u.doGbS, 4),
    rowsRead: r(u.rowsRead),
    rowsWritten: r(u.rowsWritten),
    cpuMs: r(u.cpuMs),
  };
}
