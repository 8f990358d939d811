/** Apps the API will talk about: those in the evaluated config and their live previews, so a typo is a 404. */
import type { AppSummary } from "../../durable/contract";
import { projectStub } from "../../durable/stubs";
import type { TowerEnv } from "../../env";
import { RequestError } from "../errors";

/** One ProjectDO call whatever the number of apps; the config's view, which the AppDO's may override. */
export async function knownApp(env: TowerEnv, name: string): Promise<AppSummary> {
  const app = await projectStub(env).configuredApp(name);
  if (!app) throw new RequestError("unknown_app", `no app named "${name}" in config`, { app: name });
  return app;
}
