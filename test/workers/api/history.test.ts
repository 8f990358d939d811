// The read API over real history: a config repo on the test git server, pushes delivered through
// POST /webhook, deploys by the real ProjectDO and AppDOs to the Fly simulator. Every response is
// validated against the schemas behind /api/openapi.json, and every response and log line is
// scanned for secret values.

import { env } from "cloudflare:test";
import { sign } from "@octokit/webhooks-methods";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { z } from "zod";
import {
  AcceptedSchema,
  AppListSchema,
  AppSummarySchema,
  ConfigStatusSchema,
  DeployDetailSchema,
  DeployPageSchema,
  ErrorSchema,
  EventListSchema,
} from "../../../src/worker/api/schemas";
import { deploysSettled, settle } from "../sync/given";
import { SECRET, send, webhookRequest } from "../webhook/deliver";
import { type RootConfig, rootConfig } from "./root-config";

const RAW_SECRET = `raw-secret-value-${crypto.randomUUID()}`;
const API_TOKEN = `api-${crypto.randomUUID()}`;
const ADMIN_TOKEN = `admin-${crypto.randomUUID()}`;
/** Every value that must never leave: raw and env secrets of the apps, and the Worker's tokens. */
const SECRETS = [RAW_SECRET, "app-secret-test-value", env.FLY_API_TOKEN!, SECRET, API_TOKEN, ADMIN_TOKEN];

const suffix = Date.now().toString(36);
const web = `web-${suffix}`;
const worker = `worker-${suffix}`;
const appYaml = (name: string, tag: string) =>
  `app: ${name}\norg: personal\nprimary_region: arn\nsource:\n  type: image\n  image: nginx:1.${tag}\n` +
  `secrets:\n  - name: DB_PASSWORD\n    type: raw\n    raw: "${RAW_SECRET}"\n  - name: DB_URL\n    env: APP_SECRET_TEST_DB\n`;

let root: RootConfig;
const logged: string[] = [];
const spies: ReturnType<typeof vi.spyOn>[] = [];
const bodies: string[] = [];

async function api(path: string, init: RequestInit & { token?: string } = {}) {
  const headers = { authorization: `Bearer ${init.token ?? API_TOKEN}` };
  const res = await send(new Request(`https://tower.test/api${path}`, { ...init, headers }), root.settings);
  const text = await res.text();
  bodies.push(text);
  return { status: res.status, json: JSON.parse(text) as unknown };
}

async function ok<S extends z.ZodType>(schema: S, path: string, init?: RequestInit & { token?: string }) {
  const res = await api(path, init);
  if (res.status >= 300) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.json)}`);
  return schema.parse(res.json) as z.output<S>;
}

beforeAll(async () => {
  for (const level of ["log", "info", "warn", "error", "debug"] as const) {
    spies.push(
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(" "))),
    );
  }
  root = await rootConfig(
    "api-config",
    { API_TOKEN, ADMIN_TOKEN },
    {
      "project.yaml": "project: root\n",
      [`apps/${web}/app.yaml`]: appYaml(web, "25"),
      [`apps/${worker}/app.yaml`]: appYaml(worker, "25"),
    },
    [web, worker],
  );
  await root.push({ [`apps/${web}/app.yaml`]: appYaml(web, "26") });
  await root.push({ [`apps/${web}/app.yaml`]: appYaml(web, "27") });
}, 60_000);

afterAll(() => {
  for (const spy of spies) spy.mockRestore();
});

describe("read API over real deploy history", () => {
  it("lists the apps in config with their status", async () => {
    const { apps } = await ok(AppListSchema, "/apps");
    expect(apps.map((a) => a.name).sort()).toEqual([web, worker].sort());
    expect(apps.every((a) => a.status === "synced")).toBe(true);
    const one = await ok(AppSummarySchema, `/apps/${web}`);
    expect(one).toMatchObject({ name: web, status: "synced", lastDeploy: { outcome: "succeeded", release: 3 } });
    expect(one.deployed.configHash).toBe(one.desired.configHash);
  });

  it("pages deploys newest first with a cursor, and filters by outcome", async () => {
    const first = await ok(DeployPageSchema, `/apps/${web}/deploys?limit=2`);
    expect(first.items.map((d) => d.release)).toEqual([3, 2]);
    expect(first.next).toEqual(expect.any(String));
    const second = await ok(DeployPageSchema, `/apps/${web}/deploys?limit=2&cursor=${encodeURIComponent(first.next!)}`);
    expect(second.items.map((d) => d.release)).toEqual([1]);
    expect(second.next).toBeNull();
    expect((await ok(DeployPageSchema, `/apps/${web}/deploys?outcome=succeeded`)).items).toHaveLength(3);
    expect((await ok(DeployPageSchema, `/apps/${web}/deploys?outcome=failed`)).items).toHaveLength(0);
  });

  it("shows one deploy with steps, image and plan summary", async () => {
    const { items } = await ok(DeployPageSchema, `/apps/${web}/deploys?limit=1`);
    const detail = await ok(DeployDetailSchema, `/apps/${web}/deploys/${items[0]!.id}`);
    expect(detail).toMatchObject({ id: items[0]!.id, image: "nginx:1.27", error: null, outcome: "succeeded" });
    expect(detail.steps.length).toBeGreaterThan(0);
  });

  it("tails the app and project logs with ?after=", async () => {
    const all = await ok(EventListSchema, `/apps/${web}/events`);
    expect(all.events.length).toBeGreaterThan(2);
    const tail = await ok(EventListSchema, `/apps/${web}/events?after=${all.events[1]!.seq}`);
    expect(tail.events[0]!.seq).toBe(all.events[2]!.seq);
    expect(tail.next).toBe(all.events.at(-1)!.seq);
    const project = await ok(EventListSchema, "/events?limit=1000");
    expect(project.events.filter((e) => e.type === "push.received")).toHaveLength(2);
  });

  it("shows the config status", async () => {
    const status = await ok(ConfigStatusSchema, "/config");
    expect(status).toMatchObject({
      repo: root.config.url,
      ref: "main",
      errors: [],
      lastEvaluation: { ok: true, apps: 2 },
    });
    expect(status.commit).toBe((await root.config.refs())["refs/heads/main"]);
  });

  it("answers 404 for apps not in config and unknown deploys, 400 for bad queries", async () => {
    for (const path of ["/apps/nope", "/apps/nope/deploys", "/apps/nope/events", `/apps/${web}/deploys/nope`]) {
      const res = await api(path);
      expect(res.status).toBe(404);
      ErrorSchema.parse(res.json);
    }
    for (const path of [
      `/apps/${web}/deploys?outcome=weird`,
      `/apps/${web}/deploys?limit=0`,
      `/apps/${web}/events?after=-1`,
    ]) {
      const res = await api(path);
      expect(res.status).toBe(400);
      expect(ErrorSchema.parse(res.json).error.code).toBe("invalid_query");
    }
  });

  it("admin sync redeploys one app; POST /api/sync is accepted", async () => {
    await ok(AcceptedSchema, `/apps/${worker}/sync`, { method: "POST", token: ADMIN_TOKEN });
    await deploysSettled([worker]);
    const { items } = await ok(DeployPageSchema, `/apps/${worker}/deploys`);
    expect(items).toHaveLength(2);
    expect((await api(`/apps/nope/sync`, { method: "POST", token: ADMIN_TOKEN })).status).toBe(404);
    await ok(AcceptedSchema, "/sync", { method: "POST", token: ADMIN_TOKEN });
    await settle(root.project);
  });

  it("never shows a secret value in any response or log line", async () => {
    // The secrets are real: Fly received them, so the scan below looks for values that exist.
    const res = await fetch(`${env.FLY_API_BASE}/v1/apps/${web}/secrets?show_secrets=true`, {
      headers: { authorization: `Bearer ${env.FLY_API_TOKEN}` },
    });
    const fly = await res.text();
    expect(fly).toContain(RAW_SECRET);
    expect(fly).toContain("app-secret-test-value");
    expect(bodies.length).toBeGreaterThan(15);
    // A refused delivery signed with a real token as its key logs a line, so the log scan has lines.
    const forged = await sign(API_TOKEN, "{}");
    await send(webhookRequest("{}", { "x-github-event": "push", "x-hub-signature-256": forged }), root.settings);
    expect(logged.some((line) => line.includes("bad_signature"))).toBe(true);
    // Secrets digests stay out of the API too (events keep them in the log for deciding only).
    for (const body of bodies) expect(body).not.toMatch(/hmac-sha256:|secretsDigest/);
    for (const secret of SECRETS) {
      for (const body of bodies) expect(body).not.toContain(secret);
      for (const line of logged) expect(line).not.toContain(secret);
    }
  });
});
