/** Finding the app, machine or volume a request names, 404 otherwise. */
import type { Ctx } from "../context";
import { notFound, SimHttpError } from "../http-error";
import type { SimApp, SimMachine, SimVolume } from "../world";

/**
 * App names are global: a name held by an organisation the caller cannot see answers 403, not
 * 404 (fly-go flaps/flaps_apps.go AppNameAvailable). A new app answers 404 for a moment after its
 * creation (fly-go WaitForApp retries 404/401 after CreateApp, and flyctl calls it every time).
 */
export function appOf(ctx: Ctx): SimApp {
  const app = ctx.core.world.apps.get(ctx.params.app_name ?? "");
  if (app?.foreign)
    throw new SimHttpError(403, `unauthorized: app ${app.name} belongs to an organization you cannot access`);
  if (!app || Date.now() < app.readyAt) throw notFound("app");
  return app;
}

export function machineOf(ctx: Ctx): SimMachine {
  const app = appOf(ctx);
  const m = ctx.core.world.machines.get(ctx.params.machine_id ?? "");
  if (!m || m.app !== app.name) throw notFound("machine");
  return m;
}

export function volumeOf(ctx: Ctx): SimVolume {
  const app = appOf(ctx);
  const v = ctx.core.world.volumes.get(ctx.params.volume_id ?? "");
  if (!v || v.app !== app.name || v.state === "destroyed") throw notFound("volume");
  return v;
}

export function leaseNonceHeader(ctx: Ctx): string | undefined {
  const h = ctx.headers["fly-machine-lease-nonce"];
  const value = Array.isArray(h) ? h[0] : h;
  return value === undefined || value === "" ? undefined : value;
}

/** Boolean query parameters as Fly's Go server reads them. */
export function queryBool(ctx: Ctx, name: string): boolean {
  const v = ctx.query.get(name);
  return v === "true" || v === "1";
}
