/** The API's writes: syncs, rollback and unpin. All need ADMIN_TOKEN and return before work starts. */
import { appStub, projectStub } from "../../durable/stubs";
import { RequestError } from "../errors";
import { knownApp } from "./known-app";
import { rollbackRoute, syncAllRoute, syncAppRoute, unpinRoute } from "./routes";
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

  api.openapi(rollbackRoute, async (c) => {
    const { name } = await knownApp(c.env, c.req.valid("param").app);
    const body = c.req.valid("json");
    const key = `admin:${crypto.randomUUID()}`;
    const result = await appStub(c.env, name).rollback(
      "deploy" in body ? { deploy: body.deploy, key } : { release: body.release, key },
    );
    if (!result.ok)
      throw new RequestError(result.code, result.message, { field: "deploy" in body ? "deploy" : "release" });
    return c.json({ accepted: true as const, deployId: result.deployId, pin: result.pin }, 202);
  });

  api.openapi(unpinRoute, async (c) => {
    const { name } = await knownApp(c.env, c.req.valid("param").app);
    return c.json(await appStub(c.env, name).unpin(`admin:${crypto.randomUUID()}`), 200);
  });

  api.openapi(syncAllRoute, async (c) => {
    const force = c.req.valid("query").force === "true";
    await projectStub(c.env).requestSync({ force, cause: "admin: POST /api/sync" });
    return c.json({ accepted: true as const }, 202);
  });
}
