/** `POST /apps/{app_name}/deploy_token`: a token for this app alone (deploy-tokens.ts). */
import { type Ctx, json, type Reply } from "../context";
import { goDuration } from "../deploy-tokens";
import { badRequest } from "../http-error";
import { parseBody } from "../schemas/parse";
import { createDeployTokenRequest } from "../schemas/requests";
import { appOf } from "./lookup";

export function createDeployToken(ctx: Ctx): Reply {
  const req = parseBody(createDeployTokenRequest, ctx.body ?? {});
  const app = appOf(ctx);
  if (req.expiry !== undefined) {
    try {
      goDuration(req.expiry);
    } catch (err) {
      throw badRequest((err as Error).message);
    }
  }
  return json(200, { token: ctx.core.deployTokens.issue(app.name, req.expiry) });
}
