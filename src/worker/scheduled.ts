/**
 * The cron trigger: each tick asks the root project to list its repos' refs and tell the apps
 * whose ref moved. A tick that finds nothing changed costs a few ref listings and nothing else.
 */
import { projectStub } from "../durable/stubs";
import type { TowerEnv } from "../env";

export async function scheduled(controller: ScheduledController, env: TowerEnv, _ctx: ExecutionContext) {
  // Without a config repo there is nothing to watch (a fresh deploy before setup).
  if (!env.CONFIG_REPO) return;
  await projectStub(env).tick(new Date(controller.scheduledTime).toISOString());
}
