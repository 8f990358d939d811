import { DurableObject } from "cloudflare:workers";
import type { TowerEnv } from "../worker/env";

/** One per root config repo: its event log, evaluated tree and repo index. */
export class ProjectDO extends DurableObject<TowerEnv> {}
