/** Handlers of the read-only routes: each asks one Durable Object and answers its data as is. */
import type { StoredEvent } from "../../durable/contract";
import { appStub, projectStub } from "../../durable/stubs";
import { RequestError } from "../errors";
import { knownApp } from "./known-app";
import {
  appEventsRoute,
  configRoute,
  getAppRoute,
  getDeployRoute,
  imagesRoute,
  listAppsRoute,
  listDeploysRoute,
  projectEventsRoute,
} from "./routes";
import type { Api } from "./type";

export function registerReadRoutes(api: Api): void {
  api.openapi(listAppsRoute, async (c) => c.json({ apps: await projectStub(c.env).listApps() }, 200));

  api.openapi(getAppRoute, async (c) => {
    const fromConfig = await knownApp(c.env, c.req.valid("param").app);
    // The AppDO knows the live deploy state; before its first event the config's view stands.
    const live = await appStub(c.env, fromConfig.name).summary();
    return c.json(live ?? fromConfig, 200);
  });

  api.openapi(listDeploysRoute, async (c) => {
    const { app } = c.req.valid("param");
    await knownApp(c.env, app);
    const { cursor, outcome, limit } = c.req.valid("query");
    return c.json(await appStub(c.env, app).deploys({ cursor, outcome, limit }), 200);
  });

  api.openapi(getDeployRoute, async (c) => {
    const { app, id } = c.req.valid("param");
    await knownApp(c.env, app);
    const deploy = await appStub(c.env, app).deploy(id);
    if (!deploy) throw new RequestError("unknown_deploy", `app "${app}" has no deploy "${id}"`, { app, id });
    return c.json(deploy, 200);
  });

  api.openapi(appEventsRoute, async (c) => {
    const { app } = c.req.valid("param");
    await knownApp(c.env, app);
    const { after, limit } = c.req.valid("query");
    // `data` is `Record<string, unknown>`, which RPC typing cannot see through: name the type.
    const events: StoredEvent[] = await appStub(c.env, app).events(after, limit);
    return c.json({ events: events.map(withoutDigests), next: events.at(-1)?.seq ?? after }, 200);
  });

  api.openapi(projectEventsRoute, async (c) => {
    const { after, limit } = c.req.valid("query");
    const events: StoredEvent[] = await projectStub(c.env).events(after, limit);
    return c.json({ events: events.map(withoutDigests), next: events.at(-1)?.seq ?? after }, 200);
  });

  api.openapi(configRoute, async (c) => c.json(await projectStub(c.env).configStatus(), 200));

  api.openapi(imagesRoute, async (c) => c.json(await projectStub(c.env).images(), 200));
}

/**
 * An event as the API shows it: without secrets digests. They are keyed (secrets-digest.ts), but
 * still say "this secret changed, and when": the log keeps them for deciding, readers do not need them.
 */
function withoutDigests(event: StoredEvent): StoredEvent {
  return { ...event, data: strip(event.data) as StoredEvent["data"] };
}

function strip(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(strip);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== "secretsDigest")
      .map(([key, v]) => [key, strip(v)]),
  );
}
