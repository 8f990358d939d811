/**
 * Deploys of 20 apps × 3 machines against the Fly simulator with 100 ms latency on every call,
 * Fly's own rate limits, and the client pacing at them: one app alone, then all 20 at once (one
 * deploy run per app, as one AppDO per app would). The ratio shows what per-app parallelism buys.
 * The apps exist beforehand (created once, untimed): Fly limits app creation per organisation, so
 * creating 20 at once is bound by that limit, not by how Tower deploys.
 *
 * Then a bad release on one app of 4 machines (rolling): how long from the start of the broken
 * deploy until the last good release runs again (the deploy fails at its gate, a restore deploy
 * puts it back), side by side with a good deploy of the same app. Two breakages: checks that never
 * pass (bounded by `wait_timeout`, 5 s here) and a crash loop without checks (the smoke gate).
 */
import type { DesiredApp } from "../src/config/desired-app";
import { createFlyClient } from "../src/fly/client/fly-client";
import { createDeployRun } from "../src/fly/exec/deploy-run";
import { newJournal } from "../src/fly/exec/journal";
import { runToCompletion } from "../src/fly/exec/run-to-completion";
import { readLiveApp } from "../src/fly/live/read-live-app";
import { planDeploy } from "../src/fly/plan/plan-deploy";
import { startFlySim } from "../test/fly-sim/sim";

const LATENCY_MS = 100;
const APPS = 20;

function app(name: string, image = "registry.fly.io/bench:v1", count = 3, checks = true): DesiredApp {
  const config = {
    image,
    env: { FLY_PROCESS_GROUP: "app", PRIMARY_REGION: "iad" },
    guest: { cpu_kind: "shared" as const, cpus: 1, memory_mb: 256 },
    services: [
      {
        protocol: "tcp" as const,
        internal_port: 8080,
        ports: [{ port: 443, handlers: ["http", "tls"] }],
        ...(checks ? { checks: [{ type: "http" as const, interval: "10s", timeout: "2s", path: "/healthz" }] } : {}),
      },
    ],
  };
  return {
    name,
    org: "bench",
    primaryRegion: "iad",
    configHash: `h-${image}`,
    groups: [{ processGroup: "app", region: "iad", count, config }],
    volumes: [],
    ips: [{ type: "v6" }],
    autoPruneIps: false,
    secrets: { TOKEN: "t" },
    secretsDigest: "s1",
    deploy: { strategy: "rolling", maxUnavailable: 0.33, waitTimeoutMs: checks && count === 4 ? 5_000 : 300_000 },
  };
}

const sim = await startFlySim({ seed: 1, ...(process.env.NO_LIMITS ? { rateLimit: false as const } : {}) });
sim.faults.set({ latencyMs: LATENCY_MS });
const client = createFlyClient({ baseUrl: sim.url, token: "fm2_bench" });
let runs = 0;

async function deployOne(name: string, desired = app(name), expect = "succeeded"): Promise<number> {
  const started = performance.now();
  const plan = planDeploy(desired, await readLiveApp(client, name));
  const run = createDeployRun({
    client,
    plan,
    desired,
    journal: newJournal(`b${++runs}`, { id: "r1", version: 1 }),
    pollMs: 100,
  });
  const result = await runToCompletion(run, { sliceMs: 60_000 });
  if (result.status !== expect) throw new Error(`${name}: ${result.status} ${result.failure?.reason ?? ""}`);
  return performance.now() - started;
}

/** A good release, then `bad`: ms from the bad deploy's start until the good release runs again. */
async function failAndRestore(name: string, bad: string, checks: boolean): Promise<{ good: number; restored: number }> {
  await client.createApp({ name, org_slug: "bench" });
  await deployOne(name, app(name, "registry.fly.io/bench:v1", 4, checks));
  const good = await deployOne(name, app(name, "registry.fly.io/bench:v2", 4, checks));
  const started = performance.now();
  await deployOne(name, app(name, bad, 4, checks), "failed");
  // The restore: the last good release again, through the same strategy and gates.
  await deployOne(name, app(name, "registry.fly.io/bench:v2", 4, checks));
  return { good, restored: performance.now() - started };
}

// The restore figures first: RESTORE_ONLY=1 skips the fleet part.
const unhealthy = await failAndRestore("restore-checks", "registry.fly.io/bench:unhealthy", true);
const crashing = await failAndRestore("restore-crash", "registry.fly.io/bench:crash-loop", false);
const line = (what: string, r: { good: number; restored: number }) =>
  console.log(
    `bad release on 4 machines, ${what}: restored ${Math.round(r.restored)} ms after the deploy began ` +
      `(${(r.restored / r.good).toFixed(2)}× a good deploy of the same app, ${Math.round(r.good)} ms)`,
  );
line("checks never pass (wait_timeout 5 s)", unhealthy);
line("crash loop, no checks (smoke gate)", crashing);
const restore = {
  restore_unhealthy_ms: Math.round(unhealthy.restored),
  restore_crash_loop_ms: Math.round(crashing.restored),
  good_deploy_4_ms: Math.round(unhealthy.good),
};
if (process.env.RESTORE_ONLY) {
  await sim.close();
  console.log(JSON.stringify({ bench: "deploy", ...restore }));
  process.exit(0);
}

const names = ["warmup", "solo", ...Array.from({ length: APPS }, (_, i) => `fleet-${i + 1}`)];
for (const name of names) await client.createApp({ name, org_slug: "bench" });
await deployOne("warmup");
const oneApp = await deployOne("solo");
const t0 = performance.now();
await Promise.all(Array.from({ length: APPS }, (_, i) => deployOne(`fleet-${i + 1}`)));
const twentyApps = performance.now() - t0;
const calls = sim.requests("solo").length;
await sim.close();

const ratio = twentyApps / oneApp;
console.log(`one app (3 machines, ${calls} calls at ${LATENCY_MS} ms): ${Math.round(oneApp)} ms`);
console.log(
  `${APPS} apps at once: ${Math.round(twentyApps)} ms (${ratio.toFixed(2)}× one app; one after another would be ~${APPS}×)`,
);
console.log(
  JSON.stringify({
    bench: "deploy",
    one_app_ms: Math.round(oneApp),
    twenty_apps_ms: Math.round(twentyApps),
    ratio: Number(ratio.toFixed(2)),
    ...restore,
  }),
);
