/**
 * Apps: create (201, no body), show, list by org, delete (202, takes everything with it). Names are
 * global: creating one that exists anywhere, in any organisation, is refused with 422 "Name has
 * already been taken" (fly-go flaps/flaps_apps.go AppNameAvailable: a taken name is taken for all).
 * fly-go's CreateApp posts `?wait=true`; even so flyctl follows every create with WaitForApp, which
 * retries while the app answers 404, so a new app answers 404 for `appReadyMs` either way.
 */
import { type Ctx, json, type Reply } from "../context";
import { badRequest, unprocessable } from "../http-error";
import { parseBody } from "../schemas/parse";
import { createAppRequest } from "../schemas/requests";
import { appView } from "../views";
import type { SimApp } from "../world";
import { appOf } from "./lookup";

export function createApp(ctx: Ctx): Reply {
  const req = parseBody(createAppRequest, ctx.body);
  const { world } = ctx.core;
  if (world.apps.has(req.name)) throw unprocessable("Name has already been taken");
  world.apps.set(req.name, {
    ...newApp(req.name, req.org_slug, Date.now() + ctx.core.runtime.timings.appReadyMs),
    network: req.network ?? "default",
  });
  return json(201);
}

/** An app as the simulator keeps it; `foreign` ones are held by an organisation the caller cannot see. */
export function newApp(name: string, orgSlug: string, readyAt: number, foreign = false): SimApp {
  return {
    id: name,
    name,
    orgSlug,
    readyAt,
    foreign,
    network: "default",
    createdAt: new Date().toISOString(),
    secrets: new Map(),
    secretsVersion: 0,
    ips: [],
    certificates: new Map(),
  };
}

export function showApp(ctx: Ctx): Reply {
  return json(200, appView(ctx.core, appOf(ctx)));
}

export function listApps(ctx: Ctx): Reply {
  const org = ctx.query.get("org_slug");
  if (!org) throw badRequest("org_slug query parameter required");
  const apps = [...ctx.core.world.apps.values()]
    .filter((a) => a.orgSlug === org && !a.foreign)
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
