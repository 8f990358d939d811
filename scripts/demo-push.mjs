#!/usr/bin/env node
// `npm run demo:push`: changes one app of the example config repo served by `npm start` (GREETING
// in hello/app.yaml), sends Tower the GitHub push webhook for it, signed with the dev secret
// (X-Hub-Signature-256), and waits for that app's new deploy. Other apps must not deploy.
// Reads the running stack from .tower-local/stack.json (TOWER_LOCAL_DIR moves it).
import { createHmac, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const dir = resolve(root, process.env.TOWER_LOCAL_DIR ?? ".tower-local");
const APP_FILE = "hello/app.yaml";
const TIMEOUT_MS = 30_000;

const fail = (message) => {
  console.error(`demo:push: ${message}`);
  process.exit(1);
};

let stack;
try {
  stack = JSON.parse(readFileSync(join(dir, "stack.json"), "utf8"));
} catch {
  fail(`no running stack (${join(dir, "stack.json")} is missing): run \`npm start\` first`);
}
try {
  process.kill(stack.pid, 0);
} catch {
  fail(
    `the stack in ${join(dir, "stack.json")} is gone (process ${stack.pid} is not running): run \`npm start\` again`,
  );
}
const app = `${stack.prefix}-hello`;
const api = (path, init) => fetch(`${stack.api}${path}`, init);
const json = async (res) => {
  if (!res.ok) fail(`${res.url} answered ${res.status}: ${await res.text()}`);
  return res.json();
};
const admin = async (action, body) =>
  json(
    await fetch(`${stack.gitServer}/_admin/${action}/${stack.configRepo.name}`, {
      method: body ? "POST" : "GET",
      headers: { "content-type": "application/json" },
      body: body ? JSON.stringify(body) : undefined,
    }),
  );

const deploysOf = async (name) => (await json(await api(`/api/apps/${name}/deploys?limit=100`))).items;
const before = Object.fromEntries(
  await Promise.all(
    (await json(await api("/api/apps"))).apps.map(async (a) => [a.name, (await deploysOf(a.name)).length]),
  ),
);
if (!(app in before)) fail(`${app} is not in GET /api/apps: has npm start finished its first sync?`);

// 1. A commit on the config repo's main branch: the same file with a new GREETING.
const branchRef = `refs/heads/${stack.configRepo.branch}`;
const parent = (await admin("refs"))[branchRef];
const greeting = `hello again, pushed at ${new Date().toISOString()}`;
const text = readFileSync(join(root, "examples/config", APP_FILE), "utf8").replace(
  /^(\s*GREETING:).*$/m,
  `$1 ${greeting}`,
);
const { sha } = await admin("commit", {
  branch: stack.configRepo.branch,
  message: `demo: new greeting for ${app}`,
  files: { [APP_FILE]: text },
});
console.log(`demo:push: committed ${sha.slice(0, 12)} to ${stack.configRepo.url} (${APP_FILE}: GREETING)`);

// 2. The webhook GitHub would send for that push, signed with the dev secret.
const body = JSON.stringify({
  ref: branchRef,
  before: parent,
  after: sha,
  repository: { clone_url: stack.configRepo.url, html_url: stack.configRepo.url.replace(/\.git$/, "") },
  head_commit: { id: sha, message: `demo: new greeting for ${app}` },
});
const signature = `sha256=${createHmac("sha256", stack.webhookSecret).update(body).digest("hex")}`;
const delivery = await api("/webhook", {
  method: "POST",
  headers: {
    "content-type": "application/json",
    "X-GitHub-Event": "push",
    "X-GitHub-Delivery": randomUUID(),
    "X-Hub-Signature-256": signature,
  },
  body,
});
console.log(`demo:push: POST /webhook (X-Hub-Signature-256) → ${delivery.status} ${await delivery.text()}`);
if (delivery.status !== 202) fail("the webhook was not accepted");

// 3. Wait for the app's new deploy to finish, then show it.
const deadline = Date.now() + TIMEOUT_MS;
let deploy;
while (Date.now() < deadline) {
  const items = await deploysOf(app);
  deploy = items.length > before[app] ? items[0] : undefined;
  if (deploy && deploy.outcome !== "running") break;
  await new Promise((r) => setTimeout(r, 200));
}
if (!deploy || deploy.outcome === "running") fail(`no finished deploy of ${app} within ${TIMEOUT_MS / 1000} s`);
const detail = await json(await api(`/api/apps/${app}/deploys/${deploy.id}`));
console.log(`demo:push: ${app} release ${detail.release} ${detail.outcome} (cause: ${detail.cause})`);
console.log(`  GET ${stack.api}/api/apps/${app}/deploys/${detail.id}`);
for (const step of detail.steps)
  console.log(`  ${step.name.padEnd(22)} ${step.outcome}${step.message ? `  ${step.message}` : ""}`);

const others = [];
for (const [name, count] of Object.entries(before))
  if (name !== app && (await deploysOf(name)).length !== count) others.push(name);
if (others.length > 0) fail(`other apps deployed too: ${others.join(", ")}`);
console.log(`demo:push: only ${app} deployed; the other ${Object.keys(before).length - 1} apps were left alone`);
if (detail.outcome !== "succeeded") fail(`the deploy ${detail.outcome}: ${detail.error ?? ""}`);
