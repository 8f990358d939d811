/**
 * Preview latency, end to end through `wrangler dev` (real workerd, ProjectDO and AppDOs), the real
 * git server and the Fly simulator (builds included): the time from a signed GitHub
 * `pull_request` (opened) webhook to a started machine in the new preview app, side by side with
 * the time from a push on the app's branch to its redeploy at the new commit (an app that exists).
 * `--latency MS` adds that much to every Fly call (default 100 ms, as in the sync bench).
 * Then a burst: `--burst N` pull requests (default 30) opened at once under Fly's own rate limits
 * (the simulator's, scale 1): the time until every preview has a started machine, and the 429s.
 */
import examples from "@octokit/webhooks-examples";
import type { AppSummary } from "../src/durable/contract";
import { flySimControl } from "../test/fly-sim/control";
import { createRepo } from "../test/support/fixture-repo";
import { numberArg, startStack, until } from "./stack";

/** The parts of GitHub's example `pull_request` payload this bench rewrites. */
interface Repo {
  full_name: string;
  clone_url?: string;
}
interface Example {
  action: string;
  number: number;
  pull_request: { base: { repo: Repo }; head: { sha: string; repo: Repo | null } };
}

const SECRET = `bench-${crypto.randomUUID()}`;
const TOKEN = `bench-${crypto.randomUUID()}`;
const LATENCY_MS = numberArg("--latency", 100);
const BURST = numberArg("--burst", 30);

const stack = await startStack("previews");
const { git, sim } = stack;
const control = flySimControl(sim.url);
const web = await createRepo(git.url, "web");
const c1 = await web.commit({ Dockerfile: "FROM nginx\n" });
const config = await createRepo(git.url, "config");
const appYaml = `app: web\norg: personal\nprimary_region: arn\nsource:\n  type: git\n  repo: ${web.url}\n  ref:\n    branch: main\npreviews:\n  enabled: true\n  max: 30\n`;
await config.commit({ "project.yaml": "project: bench\n", "web/app.yaml": appYaml });

const base = await stack.startTower({
  config,
  vars: { FLY_REGISTRY_BASE: sim.url },
  secrets: { FLY_API_TOKEN: "bench", WEBHOOK_SECRET: SECRET, API_TOKEN: TOKEN },
});

try {
  await stack.tick();
  await until(async () => (await app("web"))?.deployed.sourceCommit === c1, 120_000);
  sim.faults.set({ latencyMs: LATENCY_MS });

  const c2 = await web.commit({ Dockerfile: "FROM nginx:2\n" }, { branch: "feature", parent: c1 });
  await web.setRef("refs/pull/1/head", c2);
  const pr = structuredClone(
    (examples as unknown as { name: string; examples: Example[] }[])
      .find((e) => e.name === "pull_request")!
      .examples.find((e) => e.action === "opened")!,
  );
  const opened = (number: number, head: string) => {
    const payload = structuredClone(pr);
    payload.number = number;
    payload.pull_request.base.repo = {
      ...pr.pull_request.base.repo,
      full_name: `acme/${web.name}`,
      clone_url: web.url,
    };
    payload.pull_request.head = { ...pr.pull_request.head, sha: head, repo: payload.pull_request.base.repo };
    return payload;
  };
  let t = performance.now();
  await stack.deliver("pull_request", opened(1, c2));
  await until(
    async () => (await control.state("web-pr-1")).machines.some((m) => m.app === "web-pr-1" && m.state === "started"),
    120_000,
  );
  const previewMs = performance.now() - t;

  const c3 = await web.commit({ Dockerfile: "FROM nginx:3\n" }, { parent: c1 });
  t = performance.now();
  await stack.deliver("push", {
    ref: "refs/heads/main",
    before: c1,
    after: c3,
    deleted: false,
    repository: { clone_url: web.url },
  });
  await until(async () => (await app("web"))?.deployed.sourceCommit === c3, 120_000);
  const pushMs = performance.now() - t;
  const ratio = previewMs / pushMs;

  // The burst, under Fly's own limits from here on.
  sim.setRateLimit({ scale: 1 });
  const numbers = Array.from({ length: BURST }, (_, i) => i + 2);
  const names = numbers.map((n) => `web-pr-${n}`);
  const payloads = [];
  for (const n of numbers) {
    const head = await web.commit({ Dockerfile: `FROM nginx:1.${n}\n` }, { branch: `pr-${n}`, parent: c1 });
    await web.setRef(`refs/pull/${n}/head`, head);
    payloads.push(opened(n, head));
  }
  const burstFrom = Date.now();
  t = performance.now();
  await Promise.all(payloads.map((payload) => stack.deliver("pull_request", payload)));
  await until(async () => {
    const started = new Set(
      sim
        .state()
        .machines.filter((m) => m.state === "started")
        .map((m) => m.app),
    );
    return names.every((name) => started.has(name));
  }, 900_000);
  const burstMs = performance.now() - t;
  const sent = sim.requests().filter((r) => r.at >= burstFrom);
  const limited = sent.filter((r) => r.status === 429).length;
  // `--explain`: each 429 with the calls on that app just before it, and when the same call came
  // again. The log does not say which AppDO sent a call: a repeat within a few ms is another
  // AppDO's call sent at the same moment (all previews share the builder app), not a retry.
  const same = (a: (typeof sent)[number], b: (typeof sent)[number]) =>
    a.method === b.method && a.path === b.path && JSON.stringify(a.body) === JSON.stringify(b.body);
  if (process.argv.includes("--explain"))
    for (const [i, r] of sent.entries())
      if (r.status === 429) {
        const next = sent.slice(i + 1).find((later) => same(later, r));
        const before = sent
          .slice(0, i)
          .filter((e) => e.app === r.app)
          .slice(-4);
        console.log(`429 ${r.method} ${r.path} at ${r.at}; again after ${next ? next.at - r.at : "-"} ms; before:`);
        for (const e of before) console.log(`   ${e.at - r.at} ms ${e.method} ${e.path} ${e.status}`);
      }
  const byOperation: Record<string, number> = {};
  for (const r of sent)
    if (r.status === 429) byOperation[r.operation ?? "?"] = (byOperation[r.operation ?? "?"] ?? 0) + 1;

  console.log(`PR opened → started preview machine (new app, build, deploy): ${previewMs.toFixed(0)} ms`);
  console.log(`push on main → app redeployed at the new commit (build, deploy):  ${pushMs.toFixed(0)} ms`);
  console.log(`preview / push: ${ratio.toFixed(2)} (Fly calls +${LATENCY_MS} ms each)`);
  console.log(
    `${BURST} PRs opened at once → all previews started (Fly's own rate limits): ${burstMs.toFixed(0)} ms, ` +
      `${(burstMs / previewMs).toFixed(1)}× one preview; ${sent.length} Fly requests, ${limited} answered 429 ` +
      `(${JSON.stringify(byOperation)})`,
  );
  console.log(
    JSON.stringify({
      bench: "previews",
      preview_ms: Math.round(previewMs),
      push_redeploy_ms: Math.round(pushMs),
      ratio: Number(ratio.toFixed(2)),
      fly_latency_ms: LATENCY_MS,
      burst: BURST,
      burst_all_started_ms: Math.round(burstMs),
      burst_vs_one: Number((burstMs / previewMs).toFixed(1)),
      burst_fly_requests: sent.length,
      burst_429s: limited,
    }),
  );
} finally {
  await stack.close();
}

async function app(name: string): Promise<AppSummary | null> {
  const res = await fetch(`${base}/api/apps/${name}`, { headers: { authorization: `Bearer ${TOKEN}` } });
  return res.ok ? ((await res.json()) as AppSummary) : null;
}
