/**
 * Webhook intake under load: `wrangler dev` (real workerd, real ProjectDO) fed signed GitHub push
 * deliveries by autocannon in a second process, 200 connections for 20 s per run (`--duration S`,
 * `--connections N`). Runs GET /healthz once, then the webhook's requests on a path that does not
 * read them (the baseline) and on /webhook, alternating twice. Prints rps and p50/p99 side by
 * side (webhook p99 over the baseline's: Tower's work), then reads the ProjectDO log through the API and
 * compares pushes recorded with deliveries answered 202 (nothing may be lost). Last, the Worker's
 * own CPU for one delivery measured in Node: verify + parse + build the push + the structured
 * clone an RPC to the ProjectDO costs the caller (the append itself runs in the DO).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import examples from "@octokit/webhooks-examples";
import { sign } from "@octokit/webhooks-methods";
import { freePort } from "../scripts/local/ports";
import { stopGroup } from "../scripts/local/process-group";
import { startWranglerReady } from "../scripts/local/wrangler";
import { receiveDelivery } from "../src/worker/webhook/receive";
import { webhookSecrets } from "../src/worker/webhook/webhook-secrets";
import { createRepo } from "../test/support/fixture-repo";
import { startGitServer } from "../test/support/git-server";

// The load process inherits the secret through its environment.
const SECRET = (process.env.BENCH_WEBHOOK_SECRET ??= `bench-secret-${crypto.randomUUID()}`);
const API_TOKEN = `bench-api-token-${crypto.randomUUID()}`;
const ROOT = fileURLToPath(new URL("..", import.meta.url));
const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const payload = JSON.stringify(examples.find((e) => e.name === "push")!.examples[4]);

const option = (name: string) => args[args.indexOf(`--${name}`) + 1];
type Target = "healthz" | "baseline" | "webhook";
if (args[0] === "--load")
  await load(args[1]!, option("target") as Target, flag("duration", 20), flag("connections", 200));
else await main(flag("duration", 20), flag("connections", 200));

interface LoadResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  errors: number;
  timeouts: number;
  statusCodeStats: Record<string, { count: number }>;
}

interface LoadSummary {
  rps: number;
  p50: number;
  p99: number;
  total: number;
  errors: number;
  timeouts: number;
  codes: Record<string, number>;
  answered: string[];
}

/**
 * The second process: autocannon, with GET /healthz, or the webhook's own requests (a fresh
 * delivery id each) on /webhook, or the same requests on /healthz as the baseline: there the
 * Worker answers without reading them, so the run costs what the runtime, wrangler dev's proxy
 * and this generator spend on such a request, and none of Tower's work.
 */
async function load(url: string, target: Target, duration: number, connections: number) {
  // autocannon ships no types: describe the slice used here.
  const specifier: string = "autocannon";
  const { default: autocannon } = (await import(specifier)) as { default: (options: object) => Promise<LoadResult> };
  const signature = await sign(SECRET, payload);
  const prefix = crypto.randomUUID();
  let n = 0;
  const answered: string[] = [];
  const webhook = {
    url: `${url}/${target === "baseline" ? "healthz" : "webhook"}`,
    requests: [
      {
        method: "POST",
        body: payload,
        headers: { "content-type": "application/json", "x-github-event": "push", "x-hub-signature-256": signature },
        // One connection has one request in flight, so its context carries that request's id.
        setupRequest(req: { headers: Record<string, string> }, context: { id?: string }) {
          n += 1;
          context.id = `${prefix}-${n}`;
          req.headers = { ...req.headers, "x-github-delivery": context.id };
          return req;
        },
        onResponse(status: number, _body: string, context: { id?: string }) {
          if (target === "webhook" && status === 202 && context.id) answered.push(context.id);
        },
      },
    ],
  };
  const result = await autocannon({
    connections,
    duration,
    ...(target === "healthz" ? { url: `${url}/healthz` } : webhook),
  });
  const codes = result.statusCodeStats;
  const summary: LoadSummary = {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    total: result.requests.total,
    errors: result.errors,
    timeouts: result.timeouts,
    codes: Object.fromEntries(Object.entries(codes).map(([code, s]) => [code, s.count])),
    answered,
  };
  console.log(JSON.stringify(summary));
}

async function main(duration: number, connections: number) {
  const dir = mkdtempSync(join(tmpdir(), "tower-bench-"));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  // A real config repo (no apps) on a local git server, so the ProjectDO drains its inbox as in
  // production: each push is routed (and ignored, being for a repo no app uses) by its alarm.
  const git = await startGitServer();
  const config = await createRepo(git.url, "bench-config");
  await config.commit({ "project.yaml": "project: bench\n" });
  const wrangler = await startWranglerReady({
    root: ROOT,
    dir,
    port,
    vars: { CONFIG_REPO: config.url, CONFIG_REF: "main" },
    secrets: { WEBHOOK_SECRET: SECRET, API_TOKEN },
  });
  try {
    console.log(`wrangler dev on ${base}; ${connections} connections, ${duration} s per run`);
    // Side by side: GET /healthz is what wrangler dev itself costs on this machine; the baseline
    // sends the webhook's very requests (7 KB signed bodies, a fresh delivery id each, built per
    // request by the generator) where the Worker answers without reading them: what remains
    // between it and POST /webhook is Tower's work (verify, parse, the ProjectDO append). Baseline
    // and webhook alternate twice, so drift on this shared machine hits both; p99s are averaged.
    // Warm-up, not measured: the first seconds of each path pay for compiling it and, for the
    // webhook, for the ProjectDO's first start and config read.
    for (const target of ["healthz", "baseline", "webhook"] as const) await runLoad(base, target, 3, connections);
    const healthz = await runLoad(base, "healthz", duration, connections);
    console.log(
      `GET /healthz                 rps ${healthz.rps.toFixed(0)}  p50 ${healthz.p50} ms  p99 ${healthz.p99} ms`,
    );
    const runs: Record<"baseline" | "webhook", LoadSummary[]> = { baseline: [], webhook: [] };
    for (let round = 0; round < 2; round++)
      for (const target of ["baseline", "webhook"] as const) {
        const run = await runLoad(base, target, duration, connections);
        runs[target].push(run);
        const label = target === "webhook" ? "POST /webhook               " : "same requests, not read      ";
        console.log(
          `${label} rps ${run.rps.toFixed(0)}  p50 ${run.p50} ms  p99 ${run.p99} ms  statuses ${JSON.stringify(run.codes)}`,
        );
      }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const baseline = { rps: mean(runs.baseline.map((r) => r.rps)), p99: mean(runs.baseline.map((r) => r.p99)) };
    const webhook = {
      rps: mean(runs.webhook.map((r) => r.rps)),
      p50: mean(runs.webhook.map((r) => r.p50)),
      p99: mean(runs.webhook.map((r) => r.p99)),
    };
    const errors = runs.webhook.reduce((n, r) => n + r.errors + r.timeouts, 0);
    console.log(`  webhook errors + timeouts: ${errors}`);
    console.log(
      `  webhook vs the same requests not read (Tower's work): rps ×${(webhook.rps / baseline.rps).toFixed(2)}, p99 ×${(webhook.p99 / baseline.p99).toFixed(2)} (goal ≤ 1.25)`,
    );
    console.log(
      `  webhook vs GET /healthz: rps ×${(webhook.rps / healthz.rps).toFixed(2)}, p99 ×${(webhook.p99 / healthz.p99).toFixed(2)}`,
    );
    const inLog = await recordedDeliveries(base);
    const answeredIds = runs.webhook.flatMap((r) => r.answered);
    const answered = answeredIds.length;
    const recorded = answeredIds.filter((id) => inLog.has(id)).length;
    console.log(
      `answered 202: ${answered}  of those recorded in the ProjectDO log: ${recorded} ${recorded === answered ? "(equal, none lost)" : "(LOST SOME)"}`,
    );
    console.log(`  pushes in the log: ${inLog.size} (the rest: the warm-up's, and those in flight when a run stopped)`);
    const verify = await verifyRecordCost();
    console.log(`worker-side verify+parse+clone per delivery (Node): ${verify.toFixed(3)} ms`);
    await stopGroup(wrangler.pid!);
    console.log(
      JSON.stringify({
        bench: "webhook",
        rps: Math.round(webhook.rps),
        p50_ms: round(webhook.p50),
        p99_ms: round(webhook.p99),
        answered_202: answered,
        recorded,
        verify_record_ms: Number(verify.toFixed(3)),
        healthz_rps: Math.round(healthz.rps),
        healthz_p99_ms: healthz.p99,
        baseline_rps: Math.round(baseline.rps),
        baseline_p99_ms: round(baseline.p99),
        p99_vs_baseline: round(webhook.p99 / baseline.p99, 2),
      }),
    );
  } finally {
    await stopGroup(wrangler.pid!);
    await git.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function round(n: number, digits = 1) {
  return Number(n.toFixed(digits));
}

function runLoad(base: string, target: Target, duration: number, connections: number) {
  return new Promise<LoadSummary>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        ...process.execArgv,
        fileURLToPath(import.meta.url),
        "--load",
        base,
        "--target",
        target,
        "--duration",
        String(duration),
        "--connections",
        String(connections),
      ],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    let out = "";
    child.stdout.on("data", (chunk) => (out += chunk));
    child.on("exit", (code) => {
      const last = out.trim().split("\n").at(-1) ?? "";
      if (code === 0 && last.startsWith("{")) resolve(JSON.parse(last));
      else reject(new Error(`load process exited ${code}: ${out.slice(-500)}`));
    });
  });
}

/** Delivery ids of the pushes in the ProjectDO log, read page by page through GET /api/events. */
async function recordedDeliveries(base: string): Promise<Set<string>> {
  const ids = new Set<string>();
  for (let after = 0; ; ) {
    const res = await fetch(`${base}/api/events?after=${after}&limit=1000`, {
      headers: { authorization: `Bearer ${API_TOKEN}` },
    });
    if (!res.ok) throw new Error(`GET /api/events: ${res.status} ${await res.text()}`);
    const page = (await res.json()) as {
      events: { type: string; data: { push?: { deliveryId: string } } }[];
      next: number;
    };
    for (const event of page.events)
      if (event.type === "push.received" && event.data.push) ids.add(event.data.push.deliveryId);
    if (page.events.length === 0) return ids;
    after = page.next;
  }
}

async function verifyRecordCost(): Promise<number> {
  const signature = await sign(SECRET, payload);
  const settings = { secrets: webhookSecrets({ WEBHOOK_SECRET: SECRET }), maxBytes: 5 * 1024 * 1024 };
  const once = async (i: number) => {
    const req = new Request("http://tower/webhook", {
      method: "POST",
      body: payload,
      headers: { "x-github-event": "push", "x-github-delivery": `d-${i}`, "x-hub-signature-256": signature },
    });
    const received = await receiveDelivery(req, settings, new Date());
    if (received.kind !== "push") throw new Error("not a push");
    structuredClone(received.pushes[0]);
  };
  for (let i = 0; i < 500; i++) await once(i);
  const runs = 5000;
  const start = performance.now();
  for (let i = 0; i < runs; i++) await once(i);
  return (performance.now() - start) / runs;
}
