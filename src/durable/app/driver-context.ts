/** What the deploy, build and drift drivers are handed by the AppDO for one slice. */
import type { AppLog } from "./app-log";
import type { BuildPort } from "./build-port";
import type { DeployEngine } from "./deploy-engine";

export interface DriverContext {
  log: AppLog;
  /** Null when Fly is not configured: a deploy then fails naming the missing setting. */
  engine: DeployEngine | null;
  env: Record<string, unknown>;
  now: () => number;
  /** Longest a slice works before handing back. */
  sliceMs: number;
  /** Longest a whole deploy may take before it fails. */
  timeoutMs: number;
  /** Builds images on Fly for sources that need one; null or absent: such deploys fail. */
  builds?: BuildPort | null;
}
