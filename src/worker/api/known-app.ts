/** Apps the API will talk about: only those in the evaluated config, so a typo is a 404. */
import type { AppSummary } from "../../durable/contract";
import { projectStub } from "../../durable/stubs";
import type { TowerEnv } from "../../env";
import { RequestError } from "../errors";

export async function knownApp(env: TowerEnv, name: string): Promise<AppSummary> {
  const apps = await projectStub(env).listApps();
  const app = apps.find((candidate) => candidate.name === name);
  if (!app) throw new RequestError("unknown_app", `no app named "${name}" in config`, { app: name });
  return app;
}
