// `npm run bench -- config`: evaluates a generated in-memory tree of 1,000 apps in nested projects
// (root → 10 projects → 2 sub-projects each → 50 apps) and, side by side in the same run, a tree
// of one app at the same depth. ratio = whole tree / (one app × 1,000): near 1 means evaluation
// scales linearly. Target: the whole tree under 1 s in Node.
import { evaluateTree, type FileTree, memoryFileTree, toDesiredApp } from "../src/config";

const APPS = 1000;
const options = { secrets: (k: string) => (k === "DB_URL" ? "postgres://bench" : undefined), defaultOrg: "bench" };

function appYaml(name: string): string {
  return `app: ${name}
primary_region: ams
extra_regions: [fra]
source:
  type: git
  repo: https://github.com/bench/${name}.git
  ref: {branch: main}
env:
  NAME: "{{NAME}}"
http_service:
  internal_port: 8080
  force_https: true
  auto_stop_machines: stop
  checks: [{path: /healthz, interval: 15s, timeout: 2s}]
mounts: [{source: data, destination: /data}]
secrets: [{name: DB_URL}]
launch_params: ["--ha=false", "--now"]
`;
}

function generate(apps: number): Record<string, string> {
  const files: Record<string, string> = {
    "project.yaml":
      "project: bench\ncommon:\n  app_defaults: {org: bench-org, env: {TIER: prod}}\n  substitutions: {'\\{\\{NAME\\}\\}': bench}\n",
  };
  for (let i = 0; i < apps; i++) {
    const team = `team-${Math.floor(i / 100)}`;
    const sub = `sub-${Math.floor(i / 50) % 2}`;
    files[`${team}/project.yaml`] ??= `project: ${team}\ncommon:\n  app_overrides: {kill_signal: SIGTERM}\n`;
    files[`${team}/${sub}/project.yaml`] ??= `project: ${team}-${sub}\ncommon:\n  app_defaults: {env: {SUB: ${sub}}}\n`;
    files[`${team}/${sub}/app-${i}/app.yaml`] = appYaml(`app-${i}`);
  }
  return files;
}

async function time(tree: FileTree, runs: number, previous?: Awaited<ReturnType<typeof evaluateTree>>["cache"]) {
  const samples: number[] = [];
  let apps = 0;
  for (let r = 0; r < runs; r++) {
    const start = performance.now();
    const ev = await evaluateTree(tree, { ...options, previous });
    for (const app of ev.apps) toDesiredApp(app, { image: "img", secretValues: {}, releaseId: "r", releaseVersion: 1 });
    samples.push(performance.now() - start);
    apps = ev.apps.length;
    if (ev.errors.length > 0) throw new Error(JSON.stringify(ev.errors[0]));
  }
  samples.sort((a, b) => a - b);
  return { ms: samples[Math.floor(samples.length / 2)]!, apps };
}

const whole = memoryFileTree(generate(APPS));
const one = memoryFileTree(generate(1));
await time(whole, 2); // warm up the JIT on the same code paths
await time(one, 20);
const big = await time(whole, 5);
const small = await time(one, 101);
const cached = await time(whole, 5, (await evaluateTree(whole, options)).cache);
if (big.apps !== APPS || small.apps !== 1)
  throw new Error(`expected ${APPS} and 1 apps, got ${big.apps} and ${small.apps}`);

const ratio = big.ms / (small.ms * APPS);
console.log(`evaluate + map ${APPS} apps (nested projects, in memory): ${big.ms.toFixed(1)} ms (median of 5)`);
console.log(
  `one app at the same depth: ${small.ms.toFixed(3)} ms (median of 101) → ×${APPS} = ${(small.ms * APPS).toFixed(1)} ms`,
);
console.log(`same ${APPS} apps again with the previous evaluation's cache: ${cached.ms.toFixed(1)} ms`);
console.log(
  `ratio whole / (one × ${APPS}): ${ratio.toFixed(3)}; target whole < 1000 ms: ${big.ms < 1000 ? "met" : "MISSED"}`,
);
console.log(
  JSON.stringify({
    bench: "config",
    apps: APPS,
    total_ms: round(big.ms),
    one_app_ms: round(small.ms),
    ratio: round(ratio),
  }),
);

function round(n: number) {
  return Math.round(n * 1000) / 1000;
}
