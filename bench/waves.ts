/**
 * `npm run bench -- waves`: promotion latency end to end through `wrangler dev` (real workerd,
 * ProjectDO and AppDOs), the real git server (Tower's pushes included) and the Fly simulator:
 * CI's `POST /api/images` → staging's app deployed with the announced digest → the promotion
 * commit → production's app deployed with the same digest. Side by side: how long wave 1 took
 * (announce → deployed) and how long wave 2 took after it (deployed → promoted → deployed), with
 * no soak, so the ratio is Tower's promotion overhead. `--latency MS` adds that much to every
 * Fly call (default 100 ms, as the sync and previews benches).
 */
import { createRepo } from "../test/support/fixture-repo";
import { numberArg, startStack, until } from "./stack";

const TOKEN = `bench-${crypto.randomUUID()}`;
const CI = `bench-ci-${crypto.randomUUID()}`;
const LATENCY_MS = numberArg("--latency", 100);

const stack = await startStack("waves");
const { git, sim } = stack;
const config = await createRepo(git.url, "config");
const appYaml = (name: string, wave: string) =>
  `app: ${name}\norg: personal\nprimary_region: arn\nsource:\n  type: image\n  from: images/${wave}.json\n  service: api\n`;
await config.commit({
  "project.yaml": "project: bench\nwaves:\n  - {name: staging, apps: [api-stg]}\n  - {name: production, apps: [api]}\n",
  "staging/app.yaml": appYaml("api-stg", "staging"),
  "production/app.yaml": appYaml("api", "production"),
});

const base = await stack.startTower({
  config,
  vars: { FLY_REGISTRY_BASE: sim.url },
  secrets: { FLY_API_TOKEN: "bench", API_TOKEN: TOKEN, ADMIN_TOKEN: TOKEN, CI_TOKEN: CI },
});

try {
  await stack.tick();
  await until(async () => (await waves())?.waves?.length === 2, 60_000);
  sim.faults.set({ latencyMs: LATENCY_MS });

  const digest = `ghcr.io/acme/api@sha256:${"b".repeat(64)}`;
  const running = `ghcr.io/acme/api:1.0.0@sha256:${"b".repeat(64)}`;
  const t0 = performance.now();
  const res = await fetch(`${base}/api/images`, {
    method: "POST",
    headers: { authorization: `Bearer ${CI}`, "content-type": "application/json" },
    body: JSON.stringify({
      images: { api: { digest, tag: "ghcr.io/acme/api:1.0.0" } },
      source: { commit: "0123456789abcdef" },
    }),
  });
  if (res.status !== 201) throw new Error(`announce: ${res.status} ${await res.text()}`);
  const announceMs = performance.now() - t0;
  await until(async () => await deployed("api-stg", running), 300_000);
  const wave1Ms = performance.now() - t0;
  await until(async () => (await config.cat("main")).includes("Tower-Promoted-From: staging"), 300_000);
  const promotedMs = performance.now() - t0;
  await until(async () => await deployed("api", running), 300_000);
  const wave2Ms = performance.now() - t0;
  const ratio = (wave2Ms - wave1Ms) / wave1Ms;
  console.log(`POST /api/images answered (commit pushed):          ${announceMs.toFixed(0)} ms`);
  console.log(`announce → staging deployed (synced, gates passed): ${wave1Ms.toFixed(0)} ms`);
  console.log(`announce → promotion commit on main:                ${promotedMs.toFixed(0)} ms`);
  console.log(`announce → production deployed:                     ${wave2Ms.toFixed(0)} ms`);
  console.log(`wave 2 (after wave 1) / wave 1: ${ratio.toFixed(2)} (Fly calls +${LATENCY_MS} ms each, no soak)`);
  console.log(
    JSON.stringify({
      bench: "waves",
      announce_ms: Math.round(announceMs),
      wave1_deployed_ms: Math.round(wave1Ms),
      promoted_ms: Math.round(promotedMs),
      wave2_deployed_ms: Math.round(wave2Ms),
      wave2_over_wave1: Number(ratio.toFixed(2)),
      fly_latency_ms: LATENCY_MS,
    }),
  );
} finally {
  await stack.close();
}

async function waves(): Promise<{ waves?: unknown[] } | null> {
  const res = await fetch(`${base}/api/waves`, { headers: { authorization: `Bearer ${TOKEN}` } });
  return res.ok ? ((await res.json()) as { waves?: unknown[] }) : null;
}

/** The app's summary says synced at a deploy of `image`. */
async function deployed(app: string, image: string): Promise<boolean> {
  const res = await fetch(`${base}/api/apps/${app}`, { headers: { authorization: `Bearer ${TOKEN}` } });
  if (!res.ok) return false;
  const summary = (await res.json()) as { status: string; lastDeploy: { image: string | null } | null };
  return summary.status === "synced" && summary.lastDeploy?.image === image;
}
