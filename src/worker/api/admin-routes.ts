/** The API's only writes: ask for a sync now. Both need ADMIN_TOKEN and return before work starts. */
import { appStub, projectStub } from "../../durable/stubs";
import { knownApp } from "./known-app";
import { syncAllRoute, syncAppRoute } from "./routes";
import type { Api } from "./type";

export function registerAdminRoutes(api: Api): void {
  api.openapi(syncAppRoute, async (c) => {
    const { name } = await knownApp(c.env, c.req.valid("param").app);
    // Each POST is a new ask; the key keeps a retry of this one call (RPC) from redeploying twice.
    await appStub(c.env, name).forceSync({
      cause: "admin: POST /api/apps/:app/sync",
      key: `admin:${crypto.randomUUID()}`,
    });
    return c.json({ accepted: true as const }, 202);
  });

  api.openapi(syncAllRoute, async (c) => {
    const force = c.req.valid("query").force === "true";
    await projectStub(c.env).requestSync({ force, cause: "admin: POST /api/sync" });
    return c.json({ accepted: true as const }, 202);
  });
}
