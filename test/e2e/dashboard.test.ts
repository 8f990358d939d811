/**
 * The dashboard in a real browser (Debian's Chromium through playwright-core) against the local
 * stack of `npm start`: simulator, git server, wrangler dev. Screenshots of each page go to
 * test-output/dashboard/ (git-ignored) for a person to look at.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, screenshot } from "../support/browser";
import { EXAMPLE_APPS, type LocalStack, listApps, root, settledApps, startLocalStack } from "./local-stack";

const run = promisify(execFile);

let stack: LocalStack;
let browser: Browser;
/** A browser session signed in with the admin token. */
let admin: BrowserContext;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startLocalStack(), launchBrowser()]);
  const apps = await settledApps(stack, 60_000);
  expect(
    apps.map((app) => app.status),
    stack.output(),
  ).toEqual(EXAMPLE_APPS.map(() => "synced"));
  admin = await browser.newContext();
  await signIn(admin, stack.stack().adminToken);
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await stack?.remove();
});

const url = (path: string) => `${stack.api}${path}`;

async function open(context: BrowserContext, path: string): Promise<Page> {
  const page = await context.newPage();
  const res = await page.goto(url(path));
  expect(res?.status(), path).toBe(200);
  return page;
}

/** Through the form, as a person would. */
async function signIn(context: BrowserContext, token: string): Promise<Page> {
  const page = await open(context, "/sign-in");
  await page.fill("#token", token);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(url("/"));
  return page;
}

const badgeOf = (page: Page, app: string) => page.locator(`[data-status-of="${app}"]`).first();

describe("dashboard", () => {
  it("the apps page lists the example apps with the badges of their status", async () => {
    expect(stack.output()).toContain(`dashboard      ${stack.api}/`);
    const context = await browser.newContext();
    const page = await open(context, "/");
    const api = await listApps(stack.api);
    expect(await page.locator("tbody tr").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-app")))).toEqual(
      EXAMPLE_APPS,
    );
    for (const app of api) {
      await expect.poll(() => badgeOf(page, app.name).textContent()).toBe(app.status);
      expect(await badgeOf(page, app.name).getAttribute("class")).toBe(`badge badge-${app.status}`);
      expect(await page.locator(`[data-release-of="${app.name}"]`).textContent()).toBe(String(app.lastDeploy!.release));
    }
    // Public reads (PUBLIC_API=true in npm start) show no action.
    expect(await page.locator("header .who").textContent()).toContain("public, read-only");
    expect(await page.getByRole("button", { name: "Sync now" }).count()).toBe(0);
    // No inline script; the CSP says so too.
    expect(await page.locator("script:not([src])").count()).toBe(0);
    const headers = (await page.request.get(url("/"))).headers();
    expect(headers["content-security-policy"]).toContain("script-src 'self'");
    expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(headers["referrer-policy"]).toBe("no-referrer");
    // Filter by status and name, sort: a GET form.
    await page.fill("input[name=q]", "hel");
    await page.getByRole("button", { name: "Apply" }).click();
    await page.waitForURL(/q=hel/);
    expect(await page.locator("tbody tr").count()).toBe(1);
    await page.goto(url("/?status=failed"));
    expect(await page.locator("tbody tr").count()).toBe(0);
    await page.goto(url("/"));
    await page.screenshot({ path: screenshot("apps"), fullPage: true });
    await context.close();
  });

  it("on a phone, in dark mode and with JavaScript off, the pages still work", async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, colorScheme: "dark" });
    const page = await open(phone, "/");
    // Nothing wider than the screen but the table, which scrolls in its own box.
    expect(await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")).toBe(true);
    const background = await page.evaluate("getComputedStyle(document.body).backgroundColor");
    expect(background).toBe("rgb(17, 19, 22)");
    await page.screenshot({ path: screenshot("apps-phone-dark"), fullPage: true });
    await phone.close();

    const noScript = await browser.newContext({ javaScriptEnabled: false });
    const plain = await open(noScript, "/apps/tower-demo-hello");
    expect(await plain.locator("h1").textContent()).toContain("tower-demo-hello");
    expect(await plain.locator("#tail li").count()).toBeGreaterThan(0);
    await plain.getByRole("link", { name: "release 1" }).click();
    expect(await plain.locator(".timeline li").count()).toBeGreaterThan(0);
    await noScript.close();
  });

  it("sign-in with a wrong token fails; with the admin token it works; sign-out ends it", async () => {
    const { adminToken, apiToken } = stack.stack();
    const context = await browser.newContext();
    const page = await open(context, "/sign-in");
    await page.fill("#token", "not-the-token");
    const refused = page.waitForResponse((r) => r.url().endsWith("/sign-in") && r.request().method() === "POST");
    await page.getByRole("button", { name: "Sign in" }).click();
    expect((await refused).status()).toBe(401);
    expect(await page.getByRole("alert").textContent()).toContain("neither the API token nor the admin token");
    expect((await context.cookies()).length).toBe(0);
    await page.screenshot({ path: screenshot("sign-in-refused") });

    await page.fill("#token", adminToken);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(url("/"));
    expect(await page.locator("header .who").textContent()).toContain("admin");
    const [cookie] = await context.cookies();
    expect(cookie).toMatchObject({ name: "__Host-tower_session", httpOnly: true, secure: true, sameSite: "Strict" });
    expect(cookie!.value).not.toContain(adminToken);
    expect(await page.getByRole("button", { name: "Sync now" }).count()).toBe(1);

    // The API token signs in read-only: no actions; signing out drops the cookie.
    await context.close();
    const reader = await browser.newContext();
    const readPage = await signIn(reader, apiToken);
    expect(await readPage.locator("header .who").textContent()).toContain("read-only");
    await readPage.goto(url("/apps/tower-demo-hello"));
    expect(await readPage.getByRole("button", { name: "Redeploy" }).count()).toBe(0);
    await readPage.getByRole("button", { name: "Sign out" }).click();
    await readPage.waitForURL(url("/"));
    expect(await reader.cookies()).toEqual([]);
    await reader.close();
  });

  it("a deploy started by a push appears in the live tail and flips the badge without a reload", async () => {
    const page = await open(admin, "/");
    // Layout shifts, as Chromium measures them, from here on.
    // (Page scripts as strings: this project's TypeScript has no DOM types.)
    await page.evaluate(`
      window.marker = "no reload";
      window.shift = 0;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) {
          window.shift += entry.value;
          window.shifted = (window.shifted || []).concat(entry.sources.map((s) => s.node && (s.node.nodeName + "." + s.node.className + ":" + s.node.textContent.slice(0, 40))));
        }
      }).observe({ type: "layout-shift" });
    `);
    await expect.poll(() => page.locator("#tail-state").textContent()).toBe("live");
    // Fly answers slowly for this app, so its deploy stays visible for a few polls.
    await fetch(`${stack.fly}/_sim/faults?app=tower-demo-hello`, {
      method: "PUT",
      body: JSON.stringify({ latencyMs: 600 }),
    });
    const push = run("npm", ["run", "demo:push"], { cwd: root, env: stack.env, timeout: 60_000 });
    const badge = badgeOf(page, "tower-demo-hello");
    await expect.poll(() => badge.textContent(), { timeout: 30_000 }).toBe("deploying");
    expect(await badge.getAttribute("class")).toBe("badge badge-deploying");
    await expect.poll(() => page.locator("#tail").textContent(), { timeout: 10_000 }).toContain("push.received");
    expect(await page.locator("#tail").textContent()).toMatch(/tower-demo-hellostatus(synced|pending) → deploying/);
    // A full-page screenshot resizes the page, which Chromium counts as shifts: not the page's own.
    const beforeShot = (await page.evaluate("window.shift")) as number;
    await page.screenshot({ path: screenshot("apps-deploying"), fullPage: true });
    await page.evaluate("window.shift = 0");
    await push;
    await expect.poll(() => badge.textContent(), { timeout: 30_000 }).toBe("synced");
    expect(await page.locator('[data-release-of="tower-demo-hello"]').textContent()).toBe("2");
    const hello = (await listApps(stack.api)).find((a) => a.name === "tower-demo-hello")!;
    expect(await page.locator('time[data-started-of="tower-demo-hello"]').getAttribute("datetime")).toBe(
      hello.lastDeploy!.startedAt,
    );
    const { marker, shift, shifted } = (await page.evaluate(
      "({ marker: window.marker, shift: window.shift, shifted: window.shifted })",
    )) as {
      marker: string;
      shift: number;
      shifted: string[];
    };
    expect(marker).toBe("no reload");
    expect(beforeShot + shift, JSON.stringify(shifted)).toBeLessThan(0.01);
    await fetch(`${stack.fly}/_sim/faults?app=tower-demo-hello`, { method: "DELETE" });
  }, 90_000);

  it("a deploy's steps open from the app's history", async () => {
    const page = await open(admin, "/apps/tower-demo-hello");
    expect(await page.locator("tbody tr").count()).toBe(2);
    await page.screenshot({ path: screenshot("app"), fullPage: true });
    await page.getByRole("link", { name: "release 2" }).click();
    await page.waitForURL(/\/apps\/tower-demo-hello\/deploys\//);
    const steps = await page
      .locator(".timeline li")
      .evaluateAll((items) => items.map((i) => i.getAttribute("data-step")));
    expect(steps[0]).toBe("plan");
    expect(steps).toContain("machines-1");
    expect(await page.locator("h1 .badge").textContent()).toBe("succeeded");
    expect(await page.locator("dl.facts").textContent()).toContain("push:");
    await page.screenshot({ path: screenshot("deploy"), fullPage: true });
  });

  it("an action needs the CSRF token, asks for confirmation, and then redeploys", async () => {
    const page = await open(admin, "/apps/tower-demo-hello");
    // Same session cookie, no token: refused; a wrong one too; nothing deploys.
    const bare = await page.request.post(url("/apps/tower-demo-hello/sync"), { form: { confirmed: "1" } });
    expect(bare.status()).toBe(403);
    expect(await bare.text()).toContain("CSRF token is missing or wrong");
    const forged = await page.request.post(url("/apps/tower-demo-hello/sync"), {
      form: { confirmed: "1", csrf: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" },
    });
    expect(forged.status()).toBe(403);
    // Without a session (PUBLIC_API=true opens reads only) the same form is refused.
    const anonymous = await browser.newContext();
    const open403 = await anonymous.request.post(url("/apps/tower-demo-hello/sync"), { form: { confirmed: "1" } });
    expect(open403.status()).toBe(403);
    await anonymous.close();
    expect((await listApps(stack.api)).find((a) => a.name === "tower-demo-hello")!.lastDeploy!.release).toBe(2);

    await page.getByRole("button", { name: "Redeploy" }).click();
    expect(await page.locator("h1").textContent()).toBe("Redeploy tower-demo-hello?");
    await page.getByRole("button", { name: "Yes, redeploy" }).click();
    expect(await page.locator("[role=status]").textContent()).toContain("accepted");
    await expect
      .poll(async () => (await listApps(stack.api)).find((a) => a.name === "tower-demo-hello")?.lastDeploy?.release, {
        timeout: 30_000,
      })
      .toBe(3);
  }, 60_000);
});
