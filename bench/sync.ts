/**
 * Sync cost, end to end through `wrangler dev` (real workerd, ProjectDO and AppDOs), the real git
 * server and the Fly simulator (builds included). A config repo of 100 git-sourced apps across 10
 * app repos, in 5 nested projects of 20.
 *  1. An idle cron tick: outbound git requests (target 11: config + 10 app repos, once each),
 *     Fly requests (target 0) and its duration.
 *  2. One push changing one app's file: time until it runs the new config (one_app_ms); then one
 *     push changing a project's app_defaults: time until its 20 apps run it (makespan).
 */
import type { AppSummary } from "../src/durable/contract";
import { createRepo, type FixtureRepo } from "../test/support/fixture-repo";
import { numberArg, startStack, until } from "./stack";

const SECRET = `bench-${crypto.randomUUID()}`;
const TOKEN = `bench-${crypto.randomUUID()}`;
const FLEET = 20;
/**
 * Latency added to every Fly call while deploys are timed (`--latency MS`, default 100 ms, as in the
 * deploy bench): real Machines API calls take about that long. Without it every call is a local
 * round trip, and 20 deploys at once measure only how the one workerd and the simulator share this
 * machine's cores, not what per-app parallelism buys against Fly.
 */
const LATENCY_MS = numberArg("--latency", 100);

const stack = await startStack("sync");
const { git, sim } = stack;
const fromGit = (name: string, repo: FixtureRepo) =>
  `app: ${name}\norg: personal\nprimary_region: arn\nsource:\n  type: git\n  repo: ${repo.url}\n  ref:\n    branch: main\n`;
const group = (k: number, wave: number) =>
  `project: group-${k}\ncommon:\n  app_defaults:\n    env:\n      WAVE: "${wave}"\n`;

const repos = await Promise.all(Array.from({ length: 10 }, (_, i) => createRepo(git.url, `svc${i}`)));
await Promise.all(repos.map((r) => r.commit({ Dockerfile: "FROM nginx\n" })));
const config = await createRepo(git.url, "config");
const files: Record<string, string> = { "project.yaml": "project: bench\n" };
for (let k = 0; k < 5; k++) files[`group-${k}/project.yaml`] = group(k, 0);
for (let i = 0; i < 100; i++)
  files[`group-${Math.floor(i / FLEET)}/app-${i}/app.yaml`] = fromGit(`svc-app-${i}`, repos[i % 10]!);
let head = await config.commit(files);

const base = await stack.startTower({
  config,
  // Builds push to the simulator's registry.
  vars: { FLY_REGISTRY_BASE: sim.url },
  secrets: { FLY_API_TOKEN: "bench", WEBHOOK_SECRET: SECRET, API_TOKEN: TOKEN },
});

try {
  await stack.tick();
  let statuses = "";
  await until(async () => {
    const all = await apps();
    const count: Record<string, number> = {};
    for (const a of all) count[a.status] = (count[a.status] ?? 0) + 1;
    statuses = JSON.stringify(count);
    return all.length === 100 && (count.synced ?? 0) + (count.failed ?? 0) === 100;
  }, 120_000).catch(async (e: Error) => {
    const h = { authorization: `Bearer ${TOKEN}` };
    const list = (await (await fetch(`${base}/api/apps/svc-app-0/deploys`, { headers: h })).json()) as {
      items: { id: string }[];
    };
    const detail =
      list.items[0] &&
      (await (await fetch(`${base}/api/apps/svc-app-0/deploys/${list.items[0].id}`, { headers: h })).text());
    throw new Error(`${e.message}: apps by status ${statuses}; svc-app-0: ${detail}`);
  });
  console.log(`wrangler dev on ${base}: 100 git-sourced apps in 10 repos deployed`);

  const gitRequests = () => Object.values(git.stats()).reduce((a, b) => a + b, 0);
  const ticks: { git: number; fly: number; ms: number }[] = [];
  for (let i = 0; i < 3; i++) {
    const [g, f, t] = [gitRequests(), sim.requests().length, performance.now()];
    await stack.tick();
    ticks.push({ ms: performance.now() - t, git: gitRequests() - g, fly: sim.requests().length - f });
  }
  const idle = ticks.sort((a, b) => a.ms - b.ms)[1]!;
  console.log(
    `idle tick (median of 3): git requests ${idle.git} (target 11), Fly requests ${idle.fly} (target 0), ${idle.ms.toFixed(0)} ms`,
  );

  sim.faults.set({ latencyMs: LATENCY_MS });
  console.log(`Fly calls from here on take ${LATENCY_MS} ms more (--latency)`);
  // One app's own file changes (an env var): a config-only change, its image is reused as for the 20.
  const solo = `${fromGit("svc-app-99", repos[9]!)}env:\n  SOLO: "1"\n`;
  const oneApp = await pushAndWait({ "group-4/app-99/app.yaml": solo }, ["svc-app-99"]);
  console.log(`one app changed by a push: deployed in ${oneApp.ms.toFixed(0)} ms`);
  const names = Array.from({ length: FLEET }, (_, i) => `svc-app-${i}`);
  const many = await pushAndWait({ "group-0/project.yaml": group(0, 1) }, names);
  const ratio = many.ms / oneApp.ms;
  console.log(
    `${FLEET} apps changed by one push: makespan ${many.ms.toFixed(0)} ms; sum of their deploy times ${many.sum.toFixed(0)} ms`,
  );
  console.log(
    `  first deploy began ${many.first} ms after the push; the last began ${many.spread} ms after the first (fan-out)`,
  );
  console.log(`makespan / one app: ${ratio.toFixed(2)} (target < 1.5)`);
  console.log(
    JSON.stringify({
      bench: "sync",
      git_requests: idle.git,
      fly_requests: idle.fly,
      tick_ms: Math.round(idle.ms),
      makespan_ms: Math.round(many.ms),
      one_app_ms: Math.round(oneApp.ms),
      makespan_ratio: Number(ratio.toFixed(2)),
      fly_latency_ms: LATENCY_MS,
    }),
  );
} finally {
  await stack.close();
}

async function apps(): Promise<AppSummary[]> {
  const res = await fetch(`${base}/api/apps`, { headers: { authorization: `Bearer ${TOKEN}` } });
  if (!res.ok) throw new Error(`GET /api/apps: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { apps: AppSummary[] }).apps;
}

async function app(name: string): Promise<AppSummary> {
  const res = await fetch(`${base}/api/apps/${name}`, { headers: { authorization: `Bearer ${TOKEN}` } });
  if (!res.ok) throw new Error(`GET /api/apps/${name}: ${res.status} ${await res.text()}`);
  return (await res.json()) as AppSummary;
}

/** Commits, delivers a signed push, and waits until every named app runs what it now desires. */
async function pushAndWait(change: Record<string, string>, names: string[]) {
  const before = head;
  head = await config.commit(change);
  const started = performance.now();
  const wallStart = Date.now();
  await stack.deliver("push", {
    ref: "refs/heads/main",
    before,
    after: head,
    deleted: false,
    repository: { clone_url: config.url },
  });
  const done = (a: AppSummary) =>
    a.status === "synced" && a.deployed.configHash === a.desired.configHash && a.lastDeploy?.cause.startsWith("push:");
  // Only the apps still pending are asked, one GET each: polling all 100 would load the runtime under test.
  const current = new Map<string, AppSummary>();
  await until(async () => {
    const pending = names.filter((name) => !current.has(name));
    const got = await Promise.all(pending.map((name) => app(name)));
    for (const a of got)
      if (done(a) && Date.parse(a.lastDeploy!.startedAt) >= Date.now() - 120_000) current.set(a.name, a);
    return current.size === names.length;
  }, 180_000);
  const ms = performance.now() - started;
  const sum = [...current.values()].reduce(
    (total, a) => total + (Date.parse(a.lastDeploy!.finishedAt!) - Date.parse(a.lastDeploy!.startedAt)),
    0,
  );
  const starts = [...current.values()].map((a) => Date.parse(a.lastDeploy!.startedAt));
  return { ms, sum, spread: Math.max(...starts) - Math.min(...starts), first: Math.min(...starts) - wallStart };
}
