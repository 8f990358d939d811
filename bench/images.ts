/**
 * `npm run bench -- images`: the cost of one image-automation scan tick for 50 images, Tower's
 * side only (the registry stand-in runs in another process). Each image has 40 tags (one page)
 * and a semver policy already pinned to its newest tag, so the tick is the steady state: list
 * tags, resolve the chosen tag's digest (tags are mutable), change nothing. Side by side in the
 * same run: the same tick for one image (×50 = the linear estimate), and 50 images used by two
 * apps each (the listing is shared, so requests should not grow).
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { followedApps } from "../src/durable/images/image-apps";
import { scanSlice, startRound } from "../src/durable/images/scan";
import { initialScanState } from "../src/durable/images/scan-state";
import { RegistryClient } from "../src/registry";
import { registryFixture } from "../test/support/registry-fixture";

const IMAGES = 50;
const TAGS = 40;

const child = spawn("npx", ["tsx", "bench/images/registry-process.ts"], { stdio: ["pipe", "pipe", "inherit"] });
const [first] = (await once(child.stdout, "data")) as [Buffer];
const url = first.toString().trim().split("\n")[0] ?? "";
const reg = registryFixture(url);

const digests: string[] = [];
for (let i = 0; i < IMAGES; i++) {
  for (let t = 0; t < TAGS; t++) {
    const digest = await reg.push(`bench/img-${i}`, `1.${t}.0`);
    if (t === TAGS - 1) digests.push(digest);
  }
}

function apps(images: number, appsPerImage: number) {
  const entries = [];
  for (let i = 0; i < images; i++) {
    for (let a = 0; a < appsPerImage; a++) {
      const image = `${reg.host}/bench/img-${i}:1.${TAGS - 1}.0@${digests[i]}`;
      const policy = { kind: "semver" as const, range: "^1", writeBack: true, suspend: false };
      entries.push({
        name: `app-${i}-${a}`,
        file: `app-${i}-${a}/app.yaml`,
        source: { type: "image" as const, image, policy },
      });
    }
  }
  return followedApps(entries).apps;
}

async function tick(images: number, appsPerImage: number) {
  const followed = apps(images, appsPerImage);
  const registry = new RegistryClient();
  const commitPin = async () => {
    throw new Error("a steady tick commits nothing");
  };
  let state = startRound(initialScanState(), "bench", new Date().toISOString());
  const cpu = process.cpuUsage();
  const started = performance.now();
  let slices = 0;
  do {
    const result = await scanSlice({ state, apps: followed, at: new Date().toISOString() }, { registry, commitPin });
    state = result.state;
    slices++;
    if (result.events.length > 0) throw new Error(`unexpected change: ${JSON.stringify(result.events[0])}`);
  } while (state.round);
  const used = process.cpuUsage(cpu);
  const bad = Object.values(state.apps).filter((a) => a.status !== "current");
  if (bad.length > 0) throw new Error(`not current: ${JSON.stringify(bad[0])}`);
  return {
    requests: registry.requests,
    cpuMs: (used.user + used.system) / 1000,
    wallMs: performance.now() - started,
    slices,
  };
}

await tick(IMAGES, 1); // warm up the JIT and the stand-in
const median = async (images: number, per: number, runs: number) => {
  const all = [];
  for (let r = 0; r < runs; r++) all.push(await tick(images, per));
  all.sort((a, b) => a.cpuMs - b.cpuMs);
  return all[Math.floor(runs / 2)] as Awaited<ReturnType<typeof tick>>;
};
const fifty = await median(IMAGES, 1, 5);
const one = await median(1, 1, 21);
const shared = await median(IMAGES, 2, 5);
child.stdin.end();

const ratio = fifty.cpuMs / (one.cpuMs * IMAGES);
console.log(
  `scan tick, ${IMAGES} images × ${TAGS} tags, steady: ${fifty.requests} registry requests, ${fifty.cpuMs.toFixed(1)} ms CPU, ${fifty.wallMs.toFixed(0)} ms wall, ${fifty.slices} alarm slice(s) (median of 5)`,
);
console.log(
  `one image: ${one.requests} requests, ${one.cpuMs.toFixed(2)} ms CPU → ×${IMAGES} = ${(one.cpuMs * IMAGES).toFixed(1)} ms; ratio 50 / (one × 50): ${ratio.toFixed(2)}`,
);
console.log(
  `${IMAGES} images used by 2 apps each: ${shared.requests} requests (×${(shared.requests / fifty.requests).toFixed(2)} of one app each), ${shared.cpuMs.toFixed(1)} ms CPU`,
);
console.log(
  JSON.stringify({
    bench: "images",
    images: IMAGES,
    tags_per_image: TAGS,
    requests: fifty.requests,
    requests_per_image: fifty.requests / IMAGES,
    cpu_ms: round(fifty.cpuMs),
    wall_ms: round(fifty.wallMs),
    slices: fifty.slices,
    one_image_cpu_ms: round(one.cpuMs),
    ratio: round(ratio),
    shared_requests: shared.requests,
  }),
);
process.exit(0);

function round(n: number) {
  return Math.round(n * 100) / 100;
}
