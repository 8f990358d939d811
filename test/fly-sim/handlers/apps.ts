/** Apps: create (201, no body), show, list by org, delete (202, takes everything with it). */
import { type Ctx, json, type Reply } from "../context";
import { badRequest } from "../http-error";
import { parseBody } from "../schemas/parse";
import { createAppRequest } from "../schemas/requests";
import { appView } from "../views";
import { appOf } from "./lookup";

export function createApp(ctx: Ctx): Reply {
  const req = parseBody(createAppRequest, ctx.body);
  const { world } = ctx.core;
  if (world.apps.has(req.name)) throw badRequest(`app name "${req.name}" is already taken`);
  world.apps.set(req.name, {
    id: req.name,
    name: req.name,
    orgSlug: req.org_slug,
    network: req.network ?? "default",
    createdAt: new Date().toISOString(),
    secrets: new Map(),
    secretsVersion: 0,
    ips: [],
    certificates: new Map(),
  });
  return json(201);
}

export function showApp(ctx: Ctx): Reply {
  return json(200, appView(ctx.core, appOf(ctx)));
}

export function listApps(ctx: Ctx): Reply {
  const org = ctx.query.get("org_slug");
  if (!org) throw badRequest("org_slug query parameter required");
  const apps = [...ctx.core.world.apps.values()]
    .filter((a) => a.orgSlug === org)
    .map((a) => {
      const { id, name, machine_count, network } = appView(ctx.core, a);
      return { id, name, machine_count, network };
    });
  return json(200, { apps, total_apps: apps.length });
}

export function deleteApp(ctx: Ctx): Reply {
  const app = appOf(ctx);
  const { world, runtime } = ctx.core;
  for (const m of world.machines.values()) {
    if (m.app !== app.name) continue;
    m.generation++; // pending transitions of a deleted app's machines do nothing
    runtime.set(m, "destroyed");
    world.machines.delete(m.id);
  }
  for (const v of world.volumes.values()) if (v.app === app.name) world.volumes.delete(v.id);
  world.apps.delete(app.name);
  return json(202);
}
