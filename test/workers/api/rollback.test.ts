// Rollback and pin through the admin API, over real history: a config repo on the test git server,
// pushes through POST /webhook, the real ProjectDO and AppDO deploying to the Fly simulator.

import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { createFlyClient } from "../../../src/fly";
import {
  AppSummarySchema,
  ErrorSchema,
  RollbackAcceptedSchema,
  UnpinResultSchema,
} from "../../../src/worker/api/schemas";
import { appStub } from "../do-stubs";
import { deploysSettled, settle } from "../sync/given";
import { send } from "../webhook/deliver";
import { type RootConfig, rootConfig } from "./root-config";

const API_TOKEN = `api-${crypto.randomUUID()}`;
const ADMIN_TOKEN = `admin-${crypto.randomUUID()}`;
const app = `rb-${Date.now().toString(36)}`;
const appYaml = (tag: string) =>
  `app: ${app}\norg: personal\nprimary_region: arn\nsource:\n  type: image\n  image: nginx:1.${tag}\n`;

let root: RootConfig;

async function call(method: string, path: string, body?: unknown, token = ADMIN_TOKEN) {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (body !== undefined) headers["content-type"] = "application/json";
  const init = { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) };
  const res = await send(new Request(`https://tower.test/api${path}`, init), root.settings);
  return { status: res.status, json: (await res.json()) as unknown };
}

async function images(): Promise<string[]> {
  const fly = createFlyClient({ baseUrl: env.FLY_API_BASE, token: env.FLY_API_TOKEN ?? "" });
  return (await fly.listMachines(app)).filter((m) => m.state !== "destroyed").map((m) => m.config?.image ?? "");
}

const summary = async () => AppSummarySchema.parse((await call("GET", `/apps/${app}`, undefined, API_TOKEN)).json);

beforeAll(async () => {
  root = await rootConfig(
    "rollback-config",
    { API_TOKEN, ADMIN_TOKEN },
    { "project.yaml": "project: root\n", [`apps/${app}/app.yaml`]: appYaml("25") },
    [app],
  );
  await root.push({ [`apps/${app}/app.yaml`]: appYaml("26") });
}, 60_000);

describe("rollback and pin (admin API)", { timeout: 60_000 }, () => {
  it("rolls back to release 1 exactly, pins the app through syncs, and a push afterwards unpins and deploys", async () => {
    expect(await images()).toEqual(["nginx:1.26"]);
    expect((await call("POST", `/apps/${app}/rollback`, { release: 1 }, API_TOKEN)).status).toBe(401);
    const accepted = await call("POST", `/apps/${app}/rollback`, { release: 1 });
    expect(accepted.status).toBe(202);
    const body = RollbackAcceptedSchema.parse(accepted.json);
    expect(body.pin).toMatchObject({ release: 1, by: body.deployId });
    await deploysSettled([app]);
    expect(await images()).toEqual(["nginx:1.25"]);
    const pinned = await summary();
    expect(pinned).toMatchObject({ status: "pinned", pin: { release: 1, by: body.deployId } });
    const rolled = await appStub(env, app).deploy(body.deployId);
    expect(rolled).toMatchObject({ outcome: "succeeded", cause: `rollback:${body.pin.deployId}`, image: "nginx:1.25" });

    // A sync (forced too) does not undo the rollback.
    expect((await call("POST", "/sync?force=true")).status).toBe(202);
    await settle(root.project);
    await deploysSettled([app]);
    expect((await call("POST", `/apps/${app}/sync`)).status).toBe(202);
    await deploysSettled([app]);
    expect(await images()).toEqual(["nginx:1.25"]);
    expect((await summary()).pin).not.toBeNull();

    // A new commit for the app ends the pin and deploys it.
    await root.push({ [`apps/${app}/app.yaml`]: appYaml("27") });
    expect(await images()).toEqual(["nginx:1.27"]);
    expect(await summary()).toMatchObject({ status: "synced", pin: null });
  });

  it("unpin: the app follows git again", async () => {
    const accepted = RollbackAcceptedSchema.parse((await call("POST", `/apps/${app}/rollback`, { release: 2 })).json);
    await deploysSettled([app]);
    expect(await images()).toEqual(["nginx:1.26"]);
    const unpinned = await call("POST", `/apps/${app}/unpin`);
    expect(UnpinResultSchema.parse(unpinned.json)).toEqual({ unpinned: true });
    await deploysSettled([app]);
    expect(await images()).toEqual(["nginx:1.27"]);
    expect(await summary()).toMatchObject({ status: "synced", pin: null });
    expect(accepted.pin.release).toBe(2);
    expect(UnpinResultSchema.parse((await call("POST", `/apps/${app}/unpin`)).json)).toEqual({ unpinned: false });
  });

  it("refuses an unknown release (naming it) and a malformed body", async () => {
    const missing = await call("POST", `/apps/${app}/rollback`, { release: 99 });
    expect(missing.status).toBe(404);
    expect(ErrorSchema.parse(missing.json).error.message).toMatch(/release 99/);
    const bad = await call("POST", `/apps/${app}/rollback`, { release: "one" });
    expect(bad.status).toBe(400);
  });
});
