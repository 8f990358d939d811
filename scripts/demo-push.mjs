#!/usr/bin/env node
// `npm run demo:push`: changes one app of the example config repo served by `npm start` (GREETING
// in hello/app.yaml), sends Tower the GitHub push webhook for it, signed with the dev secret
// (X-Hub-Signature-256), and waits for that app's new deploy. Other apps must not deploy.
// `npm run demo:push -- --site` pushes to the example app repo instead (index.html): the site app
// is rebuilt on the (simulated) builder and deployed at the pushed commit.
// Reads the running stack from .tower-local/stack.json (TOWER_LOCAL_DIR moves it).
import { createHmac, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const dir = resolve(root, process.env.TOWER_LOCAL_DIR ?? ".tower-local");
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

const now = new Date().toISOString();
const site = process.argv.includes("--site");
const change = site
  ? {
      repo: stack.siteRepo,
      app: `${stack.prefix}-site`,
      file: "index.html",
      what: "index.html",
      text: readFileSync(join(root, "examples/site/index.html"), "utf8").replace(
        "</p>",
        `</p>\n<p>Pushed at ${now}.</p>`,
      ),
    }
  : {
      repo: stack.configRepo,
      app: `${stack.prefix}-hello`,
      file: "hello/app.yaml",
      what: "hello/app.yaml: GREETING",
      text: readFileSync(join(root, "examples/config/hello/app.yaml"), "utf8").replace(
        /^(\s*GREETING:).*$/m,
        `$1 hello again, pushed at ${now}`,
      ),
    };
const { app, repo } = change;

const api = (path, init) => fetch(`${stack.api}${path}`, init);
const json = async (res) => {
  if (!res.ok) fail(`${res.url} answered ${res.status}: ${await res.text()}`);
  return res.json();
};
const admin = async (action, body) =>
  json(
    await fetch(`${stack.gitServer}/_admin/${action}/${repo.name}`, {
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

// 1. A commit on the repo's main branch.
const branchRef = `refs/heads/${repo.branch}`;
const parent = (await admin("refs"))[branchRef];
const message = `demo: change ${change.file} of ${app}`;
const { sha } = await admin("commit", { branch: repo.branch, message, files: { [change.file]: change.text } });
console.log(`demo:push: committed ${sha.slice(0, 12)} to ${repo.url} (${change.what})`);

// 2. The webhook GitHub would send for that push, signed with the dev secret.
const body = JSON.stringify({
  ref: branchRef,
  before: parent,
  after: sha,
  repository: { clone_url: repo.url, html_url: repo.url.replace(/\.git$/, "") },
  head_commit: { id: sha, message },
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
const at = detail.sourceCommit ? `, source commit ${detail.sourceCommit.slice(0, 12)}` : "";
console.log(`demo:push: ${app} release ${detail.release} ${detail.outcome} (cause: ${detail.cause}${at})`);
console.log(`  GET ${stack.api}/api/apps/${app}/deploys/${detail.id}`);
console.log(`  image ${detail.image}`);
for (const step of detail.steps)
  console.log(`  ${step.name.padEnd(22)} ${step.outcome}${step.message ? `  ${step.message}` : ""}`);

const others = [];
for (const [name, count] of Object.entries(before))
  if (name !== app && (await deploysOf(name)).length !== count) others.push(name);
if (others.length > 0) fail(`other apps deployed too: ${others.join(", ")}`);
console.log(`demo:push: only ${app} deployed; the other ${Object.keys(before).length - 1} apps were left alone`);
if (detail.outcome !== "succeeded") fail(`the deploy ${detail.outcome}: ${detail.error ?? ""}`);
if (site && detail.sourceCommit !== sha) fail(`the deploy built ${detail.sourceCommit}, not the pushed ${sha}`);
