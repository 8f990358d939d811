/**
 * The dashboard with 50 apps, through `wrangler dev` (real workerd and Durable Objects), the git
 * server and the Fly simulator, in Debian's headless Chromium:
 *  1. What each page weighs: HTML, CSS and JS bytes as served, and gzipped (Cloudflare compresses
 *     text on the way out; wrangler dev does not).
 *  2. Time to first paint of `/` in a fresh browser context (nothing cached), median of 15.
 *  3. Side by side: server time of the `/` HTML vs `GET /api/apps` (the same read), median of 30.
 * `--apps N` changes the fleet size.
 */
import { gzipSync } from "node:zlib";
import type { Page } from "playwright-core";
import type { AppSummary } from "../src/durable/contract";
import { launchBrowser } from "../test/support/browser";
import { createRepo } from "../test/support/fixture-repo";
import { numberArg, startStack, until } from "./stack";

const TOKEN = `bench-${crypto.randomUUID()}`;
const APPS = numberArg("--apps", 50);

const stack = await startStack("dashboard");
const { git } = stack;
const config = await createRepo(git.url, "config");
const files: Record<string, string> = { "project.yaml": "project: dash\n" };
for (let i = 0; i < APPS; i++)
  files[`app-${i}/app.yaml`] =
    `app: dash-app-${i}\norg: personal\nprimary_region: arn\nsource:\n  type: image\n  image: nginx:1.27-alpine\n`;
await config.commit(files);

const base = await stack.startTower({
  config,
  vars: { PUBLIC_API: "false" },
  secrets: { FLY_API_TOKEN: "bench", API_TOKEN: TOKEN },
});
const browser = await launchBrowser();

try {
  let counts = "";
  let ticked = 0;
  await until(
    async () => {
      // The cron's tick, again every 20 s until config is read (as the real cron would).
      if (Date.now() - ticked > 20_000 && counts === "") {
        ticked = Date.now();
        await stack.tick();
      }
      const all = await apps();
      const by: Record<string, number> = {};
      for (const a of all) by[a.status] = (by[a.status] ?? 0) + 1;
      counts = all.length > 0 ? JSON.stringify(by) : "";
      return all.length === APPS && all.every((a) => a.status === "synced" || a.status === "failed");
    },
    180_000,
    100,
  ).catch((e: Error) => {
    throw new Error(`${e.message}: apps by status ${counts || "(none listed)"}`);
  });
  console.log(`wrangler dev on ${base}: ${APPS} apps deployed to the simulator`);

  // A session cookie, as a person gets one.
  const signIn = await fetch(`${base}/sign-in`, {
    method: "POST",
    body: new URLSearchParams({ token: TOKEN, next: "/" }),
    redirect: "manual",
  });
  const cookie = /^[^;]+/.exec(signIn.headers.get("set-cookie") ?? "")?.[0];
  if (!cookie) throw new Error(`sign-in answered ${signIn.status} without a cookie`);

  const first = (await apps())[0]!;
  const pages = {
    apps: "/",
    app: `/apps/${first.name}`,
    deploy: `/apps/${first.name}/deploys/${first.lastDeploy!.id}`,
  };
  const weights: Record<string, { html: number; css: number; js: number; gzip: number }> = {};
  for (const [name, path] of Object.entries(pages)) weights[name] = await weigh(path, cookie);
  for (const [name, w] of Object.entries(weights))
    console.log(
      `${name.padEnd(7)} ${pages[name as keyof typeof pages].padEnd(38)} HTML ${w.html} B + CSS ${w.css} B + JS ${w.js} B = ${w.html + w.css + w.js} B (gzipped ${w.gzip} B)`,
    );

  // Baseline, alternating with the page so both see the same machine load: Chromium's first
  // paint of the Worker's smallest answer (/healthz, a line of JSON) in a fresh context.
  const paints: { fp: number; fcp: number }[] = [];
  const baseline: { fp: number; fcp: number }[] = [];
  for (let i = 0; i < 15; i++) {
    paints.push(await firstPaint("/", true));
    baseline.push(await firstPaint("/healthz", false));
  }
  const fp = median(paints.map((p) => p.fp));
  const fcp = median(paints.map((p) => p.fcp));
  const fpBase = median(baseline.map((p) => p.fp));
  console.log(
    `first paint of / with ${APPS} apps (fresh context, median of 15): ${fp.toFixed(0)} ms (first contentful ${fcp.toFixed(0)} ms) vs /healthz ${fpBase.toFixed(0)} ms: ratio ${(fp / fpBase).toFixed(2)}`,
  );

  // Alternating, so both see the same load.
  const htmlTimes: number[] = [];
  const apiTimes: number[] = [];
  for (let i = 0; i < 30; i++) {
    htmlTimes.push(await timed(`${base}/`, { cookie }));
    apiTimes.push(await timed(`${base}/api/apps`, { authorization: `Bearer ${TOKEN}` }));
  }
  const html = median(htmlTimes);
  const api = median(apiTimes);
  console.log(
    `server time, median of 30: / (HTML) ${html.toFixed(1)} ms vs GET /api/apps (JSON) ${api.toFixed(1)} ms: ratio ${(html / api).toFixed(2)}`,
  );
  console.log(
    JSON.stringify({
      bench: "dashboard",
      apps: APPS,
      apps_page_bytes: weights.apps!.html + weights.apps!.css + weights.apps!.js,
      apps_page_gzip_bytes: weights.apps!.gzip,
      apps_html_bytes: weights.apps!.html,
      app_page_bytes: weights.app!.html + weights.app!.css + weights.app!.js,
      deploy_page_bytes: weights.deploy!.html + weights.deploy!.css + weights.deploy!.js,
      css_bytes: weights.apps!.css,
      js_bytes: weights.apps!.js,
      first_paint_ms: Math.round(fp),
      first_contentful_paint_ms: Math.round(fcp),
      healthz_first_paint_ms: Math.round(fpBase),
      first_paint_ratio: Number((fp / fpBase).toFixed(2)),
      html_ms: Number(html.toFixed(1)),
      api_apps_ms: Number(api.toFixed(1)),
      html_vs_api_ratio: Number((html / api).toFixed(2)),
    }),
  );
} finally {
  await browser.close();
  await stack.close();
}

/** The page and the stylesheet and script it links, as served. */
async function weigh(path: string, cookie: string) {
  const res = await fetch(`${base}${path}`, { headers: { cookie } });
  if (!res.ok) throw new Error(`${path}: ${res.status}`);
  const html = await res.text();
  const linked = async (pattern: RegExp) => {
    const href = pattern.exec(html)?.[1];
    return href ? await (await fetch(`${base}${href}`)).text() : "";
  };
  const css = await linked(/<link rel="stylesheet" href="([^"]+)"/);
  const js = await linked(/<script src="([^"]+)"/);
  const bytes = (text: string) => Buffer.byteLength(text);
  const gzip = [html, css, js].reduce((sum, text) => sum + (text ? gzipSync(text).length : 0), 0);
  return { html: bytes(html), css: bytes(css), js: bytes(js), gzip };
}

/** A fresh context (nothing cached), signed in through the form's POST when asked (no page load). */
async function firstPaint(path: string, signIn: boolean) {
  const context = await browser.newContext();
  try {
    if (signIn) {
      const res = await context.request.post(`${base}/sign-in`, { form: { token: TOKEN, next: "/" }, maxRedirects: 0 });
      if (res.status() !== 303) throw new Error(`sign-in answered ${res.status()}`);
    }
    const page = await context.newPage();
    const res = await page.goto(`${base}${path}`, { waitUntil: "load" });
    if (!res?.ok() || !res.url().endsWith(path)) throw new Error(`${path} answered ${res?.status()} at ${res?.url()}`);
    return await paintTimes(page);
  } finally {
    await context.close();
  }
}

async function paintTimes(page: Page) {
  // (A string: this project's TypeScript has no DOM types.)
  // Paint entries can be recorded after "load" (a JSON answer paints late): wait for them (buffered
  // observer), up to 5 s.
  return (await page.evaluate(`new Promise((resolve, reject) => {
    const seen = {};
    const done = () => seen["first-paint"] !== undefined && seen["first-contentful-paint"] !== undefined;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) seen[e.name] = e.startTime;
      if (done()) resolve({ fp: seen["first-paint"], fcp: seen["first-contentful-paint"] });
    }).observe({ type: "paint", buffered: true });
    setTimeout(() => reject(new Error("no paint entries within 5 s: " + JSON.stringify(seen))), 5000);
  })`)) as { fp: number; fcp: number };
}

async function timed(url: string, headers: Record<string, string>): Promise<number> {
  const t = performance.now();
  const res = await fetch(url, { headers });
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`${url}: ${res.status}`);
  return performance.now() - t;
}

async function apps(): Promise<AppSummary[]> {
  const res = await fetch(`${base}/api/apps`, { headers: { authorization: `Bearer ${TOKEN}` } });
  return res.ok ? ((await res.json()) as { apps: AppSummary[] }).apps : [];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
