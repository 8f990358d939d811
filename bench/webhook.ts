/**
 * Webhook intake under load: `wrangler dev` (real workerd, real ProjectDO) fed signed GitHub push
 * deliveries by autocannon in a second process, 200 connections for 20 s (`--duration S`,
 * `--connections N`). Prints rps and p50/p99, then reads the ProjectDO log through the API and
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
if (args[0] === "--load")
  await load(args[1]!, option("target") === "healthz", flag("duration", 20), flag("connections", 200));
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

/** The second process: autocannon, on /healthz or with a fresh delivery id on every webhook request. */
async function load(url: string, healthz: boolean, duration: number, connections: number) {
  // autocannon ships no types: describe the slice used here.
  const specifier: string = "autocannon";
  const { default: autocannon } = (await import(specifier)) as { default: (options: object) => Promise<LoadResult> };
  const signature = await sign(SECRET, payload);
  const prefix = crypto.randomUUID();
  let n = 0;
  const answered: string[] = [];
  const webhook = {
    url: `${url}/webhook`,
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
          if (status === 202 && context.id) answered.push(context.id);
        },
      },
    ],
  };
  const result = await autocannon({ connections, duration, ...(healthz ? { url: `${url}/healthz` } : webhook) });
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
    // Side by side: the same load on GET /healthz shows what wrangler dev itself costs on this machine.
    const baseline = await runLoad(base, "healthz", duration, connections);
    console.log(`GET /healthz   rps ${baseline.rps.toFixed(0)}  p50 ${baseline.p50} ms  p99 ${baseline.p99} ms`);
    const load = await runLoad(base, "webhook", duration, connections);
    console.log(`POST /webhook  rps ${load.rps.toFixed(0)}  p50 ${load.p50} ms  p99 ${load.p99} ms`);
    console.log(`  statuses ${JSON.stringify(load.codes)}, errors ${load.errors}, timeouts ${load.timeouts}`);
    console.log(
      `  webhook/healthz: rps ×${(load.rps / baseline.rps).toFixed(2)}, p99 ×${(load.p99 / baseline.p99).toFixed(2)}`,
    );
    const inLog = await recordedDeliveries(base);
    const answered = load.answered.length;
    const recorded = load.answered.filter((id) => inLog.has(id)).length;
    console.log(
      `answered 202: ${answered}  of those recorded in the ProjectDO log: ${recorded} ${recorded === answered ? "(equal, none lost)" : "(LOST SOME)"}`,
    );
    console.log(`  pushes in the log: ${inLog.size} (the rest were in flight when the load stopped)`);
    const verify = await verifyRecordCost();
    console.log(`worker-side verify+parse+clone per delivery (Node): ${verify.toFixed(3)} ms`);
    await stopGroup(wrangler.pid!);
    console.log(
      JSON.stringify({
        bench: "webhook",
        rps: Math.round(load.rps),
        p50_ms: load.p50,
        p99_ms: load.p99,
        answered_202: answered,
        recorded,
        verify_record_ms: Number(verify.toFixed(3)),
        healthz_rps: Math.round(baseline.rps),
        healthz_p99_ms: baseline.p99,
      }),
    );
  } finally {
    await stopGroup(wrangler.pid!);
    await git.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function runLoad(base: string, target: "webhook" | "healthz", duration: number, connections: number) {
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
