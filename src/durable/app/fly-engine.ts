/** The DeployEngine over src/fly: Tower's Machines API client, planner and resumable executor. */
import type { TowerEnv } from "../../worker/env";
import type { DeployEngine } from "./deploy-engine";

/**
 * Null when no Fly token is set (a deploy then fails naming the setting). Until src/fly's executor
 * lands, also null: the deploy fails at "start" with that reason rather than pretending.
 */
export function createFlyEngine(env: Pick<TowerEnv, "FLY_API_TOKEN" | "FLY_API_BASE">): DeployEngine | null {
  if (!env.FLY_API_TOKEN) return null;
  return null;
}
