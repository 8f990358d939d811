/**
 * Deploys of 20 apps × 3 machines against the Fly simulator with 100 ms latency on every call,
 * Fly's own rate limits, and the client pacing at them: one app alone, then all 20 at once (one
 * deploy run per app, as one AppDO per app would). The ratio shows what per-app parallelism buys.
 * The apps exist beforehand (created once, untimed): Fly limits app creation per organisation, so
 * creating 20 at once is bound by that limit, not by how Tower deploys.
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

function app(name: string): DesiredApp {
  const config = {
    image: "registry.fly.io/bench:v1",
    env: { FLY_PROCESS_GROUP: "app", PRIMARY_REGION: "iad" },
    guest: { cpu_kind: "shared" as const, cpus: 1, memory_mb: 256 },
    services: [
      {
        protocol: "tcp" as const,
        internal_port: 8080,
        ports: [{ port: 443, handlers: ["http", "tls"] }],
        checks: [{ type: "http" as const, interval: "10s", timeout: "2s", path: "/healthz" }],
      },
    ],
  };
  return {
    name,
    org: "bench",
    primaryRegion: "iad",
    configHash: "h1",
    groups: [{ processGroup: "app", region: "iad", count: 3, config }],
    volumes: [],
    ips: [{ type: "v6" }],
    autoPruneIps: false,
    secrets: { TOKEN: "t" },
    secretsDigest: "s1",
    deploy: { strategy: "rolling", maxUnavailable: 0.33, waitTimeoutMs: 300_000 },
  };
}

const sim = await startFlySim({ seed: 1, ...(process.env.NO_LIMITS ? { rateLimit: false as const } : {}) });
sim.faults.set({ latencyMs: LATENCY_MS });
const client = createFlyClient({ baseUrl: sim.url, token: "fm2_bench" });
let runs = 0;

async function deployOne(name: string): Promise<number> {
  const started = performance.now();
  const desired = app(name);
  const plan = planDeploy(desired, await readLiveApp(client, name));
  const run = createDeployRun({
    client,
    plan,
    desired,
    journal: newJournal(`b${++runs}`, { id: "r1", version: 1 }),
    pollMs: 100,
  });
  const result = await runToCompletion(run, { sliceMs: 60_000 });
  if (result.status !== "succeeded") throw new Error(`${name}: ${result.failure?.reason}`);
  return performance.now() - started;
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
  }),
);
