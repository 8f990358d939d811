import { DurableObject } from "cloudflare:workers";
import type { TowerEnv } from "../worker/env";

/** One per Fly app: its event log and the deploy state machine. */
export class AppDO extends DurableObject<TowerEnv> {}
