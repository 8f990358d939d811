/**
 * `npm run bench -- git [--runs N]`: on the same generated repos served by the real test git server,
 * measures list-refs and shallow-fetch time of src/git inside workerd (a small worker bundled by
 * wrangler, run by Miniflare), native `git clone --depth 1` side by side, and the memory a fetch adds, read
 * from outside the workerd process two ways: its RSS from /proc (peak via clear_refs/VmHWM; an
 * upper bound, since local workerd has no heap limit and collects garbage lazily) and, through
 * the inspector, the isolate's live heap + ArrayBuffers after a full GC while the snapshot is held.
 * Timing uses a second workerd with no inspector attached. `--v1` serves protocol v1 only (the
 * isomorphic-git fallback, its pack measured before indexing); `--sizes small,medium` picks sizes.
 */
import { execFile, spawnSync } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
// Miniflare comes with wrangler (it is what `wrangler dev` runs); used directly so no dev-mode
// inspector is attached while timing.
import { Miniflare } from "miniflare";
import { freePort } from "../scripts/local/ports";
import { createRepo } from "../test/support/fixture-repo";
import { startGitServer } from "../test/support/git-server";

// The inspector client needs WebSocket, which Node 20 has behind a flag.
if (typeof WebSocket === "undefined") {
  const again = spawnSync(
    process.execPath,
    ["--experimental-websocket", ...process.execArgv, ...process.argv.slice(1)],
    {
      stdio: "inherit",
    },
  );
  process.exit(again.status ?? 1);
}

const run = promisify(execFile);
const runs = Number(process.argv[process.argv.indexOf("--runs") + 1]) || 5;
const sizes = {
  small: { files: 50, bytes: 500_000 },
  medium: { files: 500, bytes: 5_000_000 },
  large: { files: 5000, bytes: 50_000_000 },
};
type Size = keyof typeof sizes;
const protocolV1 = process.argv.includes("--v1");
const picked = process.argv[process.argv.indexOf("--sizes") + 1]?.split(",");

const server = await startGitServer();
const results: Record<string, Record<string, number>> = {};
const script = await bundleWorker();
// Timing runs in a workerd with no inspector attached: a debugger slows pako's inflate loop ~6×.
const timing = await startWorker(script, { inspect: false });
try {
  for (const [size, spec] of Object.entries(sizes) as [Size, (typeof sizes)[Size]][]) {
    if (process.argv.includes("--sizes") && !picked?.includes(size)) continue;
    const repo = await createRepo(server.url, `bench-${size}`, { protocolV1 });
    await repo.commit(generateFiles(spec.files, spec.bytes));
    const warm = await createRepo(server.url, `warm-${size}`);
    await warm.commit(generateFiles(5, 5_000));

    let fetchedBytes = 0;
    const caller =
      (worker: Worker) =>
      async (path: string, url = repo.url) => {
        const started = performance.now();
        const res = await fetch(`${worker.url}${path}${path.includes("?") ? "&" : "?"}url=${encodeURIComponent(url)}`);
        if (!res.ok) throw new Error(`${path} ${size}: HTTP ${res.status} ${await res.text()}`);
        const body = (await res.json()) as { bytes?: number };
        if (body.bytes !== undefined) fetchedBytes = body.bytes;
        return performance.now() - started;
      };

    // Memory: a fresh workerd per size, so its baseline holds no earlier repo.
    const probe = await startWorker(script, { inspect: true });
    let addedMb: number;
    let liveMb: number;
    try {
      const call = caller(probe);
      // Load the code paths first, so memory counts the repo, not the modules.
      await call("/list", warm.url);
      await call("/fetch", warm.url);
      await call("/release");
      const liveBefore = await probe.liveHeap();
      const before = await probe.memory();
      await probe.resetPeak();
      await call("/fetch");
      const held = await probe.memory();
      liveMb = ((await probe.liveHeap()) - liveBefore) / 1024 / 1024;
      addedMb = (held.peakKb - before.rssKb) / 1024;
    } finally {
      await probe.stop();
    }

    const call = caller(timing);
    await call("/fetch");
    const packMb = fetchedBytes / 1024 / 1024;
    const readAll = await call("/read-all");
    await call("/release");
    const list = await median(runs, () => call("/list"));
    const fetchMs = await median(runs, async () => (await call("/fetch")) + 0 * (await call("/release")));
    const treesMs = await median(runs, async () => (await call("/fetch?trees=1")) + 0 * (await call("/release")));
    const requestsBefore = server.stats()[repo.name] ?? 0;
    await call("/list");
    const listRequests = (server.stats()[repo.name] ?? 0) - requestsBefore;
    const native = await median(runs, () => nativeClone(repo.url));
    results[size] = {
      list_refs_ms: round(list),
      fetch_ms: round(fetchMs),
      native_ms: round(native),
      ratio: round(fetchMs / native, 2),
      added_mb: round(addedMb),
      live_mb: round(liveMb),
      fetched_mb: round(packMb),
      read_all_ms: round(readAll),
      trees_only_fetch_ms: round(treesMs),
      list_refs_requests: listRequests,
    };
    console.log(
      `${size.padEnd(6)} ${spec.files} files, ${spec.bytes / 1e6} MB: list-refs ${round(list)} ms (${listRequests} request), ` +
        `fetch ${round(fetchMs)} ms (${round(packMb)} MB from the server) vs git clone --depth 1 ${round(native)} ms (×${round(fetchMs / native, 2)}), ` +
        `memory +${round(addedMb)} MB RSS peak / +${round(liveMb)} MB live after GC, read all files ${round(readAll)} ms, trees-only fetch ${round(treesMs)} ms`,
    );
  }
} finally {
  await timing.stop();
  await server.close();
  await rm(dirname(dirname(script)), { recursive: true, force: true });
}
console.log(JSON.stringify({ bench: "git", runs, protocol: protocolV1 ? 1 : 2, ...results }));

/** Text files in nested folders, from a fixed seed: compresses like source code, roughly. */
function generateFiles(count: number, totalBytes: number): Record<string, string> {
  let seed = 42;
  const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const words = Array.from({ length: 4096 }, () => Math.floor(random() * 2 ** 40).toString(36));
  const files: Record<string, string> = {};
  const each = Math.floor(totalBytes / count);
  for (let i = 0; i < count; i++) {
    let text = "";
    while (text.length < each) text += `${words[Math.floor(random() * words.length)]}${random() < 0.1 ? "\n" : " "}`;
    files[`dir-${i % 10}/sub-${i % 7}/file-${i}.txt`] = text.slice(0, each);
  }
  return files;
}

async function nativeClone(url: string): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), "tower-clone-"));
  try {
    const started = performance.now();
    await run("git", ["clone", "--quiet", "--depth", "1", "--single-branch", "--no-tags", url, join(dir, "c")]);
    return performance.now() - started;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function median(n: number, measure: () => Promise<number>): Promise<number> {
  const values: number[] = [];
  for (let i = 0; i < n; i++) values.push(await measure());
  values.sort((a, b) => a - b);
  return values[Math.floor(values.length / 2)] ?? Number.NaN;
}

function round(value: number, digits = 1): number {
  return Math.round(value * 10 ** digits) / 10 ** digits;
}

interface Worker {
  url: string;
  memory(): Promise<{ rssKb: number; peakKb: number }>;
  resetPeak(): Promise<void>;
  /** Bytes the isolate holds after a full GC (a heap snapshot forces one): heap + ArrayBuffers. */
  liveHeap(): Promise<number>;
  stop(): Promise<void>;
}

/** bench/git/worker.ts bundled the way `wrangler deploy` bundles (its dry run), into a temp folder. */
async function bundleWorker(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "tower-bench-git-"));
  const main = new URL("./git/worker.ts", import.meta.url).pathname;
  const config = join(dir, "wrangler.toml");
  await writeFile(
    config,
    `name = "bench-git"\nmain = "${main}"\ncompatibility_date = "2026-04-20"\ncompatibility_flags = ["nodejs_compat"]\n`,
  );
  await run("npx", ["wrangler", "deploy", "--dry-run", "--config", config, "--outdir", join(dir, "out")], {
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" },
  });
  return join(dir, "out", "worker.js");
}

/** The bundled worker in its own workerd (Miniflare); memory is read from that process. */
async function startWorker(script: string, options: { inspect: boolean }): Promise<Worker> {
  const existing = new Set(await workerdPids(process.pid));
  const inspectorPort = options.inspect ? await freePort() : undefined;
  const mf = new Miniflare({
    modulesRoot: dirname(script),
    modules: [{ type: "ESModule", path: script }],
    compatibilityDate: "2026-04-20",
    compatibilityFlags: ["nodejs_compat"],
    ...(inspectorPort ? { inspectorPort } : {}),
  });
  const url = (await mf.ready).toString().replace(/\/$/, "");
  const pids = (await workerdPids(process.pid)).filter((pid) => !existing.has(pid));
  if (pids.length === 0) throw new Error("no new workerd process under this one");
  const inspector = inspectorPort ? await connectInspector(inspectorPort) : undefined;
  const status = async (key: string) => {
    let kb = 0;
    for (const pid of pids) {
      const text = await readFile(`/proc/${pid}/status`, "utf8");
      kb += Number(new RegExp(`^${key}:\\s+(\\d+)`, "m").exec(text)?.[1] ?? 0);
    }
    return kb;
  };
  return {
    url,
    async liveHeap() {
      if (!inspector) throw new Error("started without an inspector");
      await inspector.send("HeapProfiler.takeHeapSnapshot", { reportProgress: false });
      const usage = (await inspector.send("Runtime.getHeapUsage")) as { usedSize: number; backingStorageSize: number };
      return usage.usedSize + usage.backingStorageSize;
    },
    memory: async () => ({ rssKb: await status("VmRSS"), peakKb: await status("VmHWM") }),
    async resetPeak() {
      for (const pid of pids) await writeFile(`/proc/${pid}/clear_refs`, "5");
    },
    async stop() {
      inspector?.close();
      await mf.dispose();
    },
  };
}

interface Inspector {
  send(method: string, params?: object): Promise<unknown>;
  close(): void;
}

/** A DevTools-protocol client on Miniflare's inspector proxy (which wants a local Origin). */
async function connectInspector(port: number): Promise<Inspector> {
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json`)).json()) as { webSocketDebuggerUrl: string }[];
  const url = targets[0]?.webSocketDebuggerUrl;
  if (!url) throw new Error("wrangler dev lists no inspector target");
  // undici's WebSocket takes headers as a second-argument extension.
  const ws = new WebSocket(url, { headers: { origin: "http://127.0.0.1" } } as unknown as string[]);
  await new Promise((resolve, reject) => {
    ws.addEventListener("open", resolve);
    ws.addEventListener("error", reject);
  });
  const pending = new Map<number, (result: unknown) => void>();
  ws.addEventListener("message", (event) => {
    const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown };
    // The proxy may answer a command with an echo of it rather than a result: either settles it.
    if (message.id !== undefined) pending.get(message.id)?.(message.result);
  });
  let id = 0;
  return {
    send: (method, params = {}) =>
      new Promise((resolve) => {
        pending.set(++id, resolve);
        ws.send(JSON.stringify({ id, method, params }));
      }),
    close: () => ws.close(),
  };
}

async function workerdPids(root: number): Promise<number[]> {
  const parents = new Map<number, { ppid: number; comm: string }>();
  for (const name of await readdir("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const stat = await readFile(`/proc/${name}/stat`, "utf8").catch(() => "");
    const m = /^\d+ \((.*)\) \S+ (\d+)/.exec(stat);
    if (m?.[1] && m[2]) parents.set(Number(name), { ppid: Number(m[2]), comm: m[1] });
  }
  const under = (pid: number): boolean => {
    for (let p = pid, hops = 0; p > 1 && hops < 20; hops++) {
      if (p === root) return true;
      p = parents.get(p)?.ppid ?? 0;
    }
    return false;
  };
  return [...parents].filter(([pid, info]) => info.comm === "workerd" && under(pid)).map(([pid]) => pid);
}
