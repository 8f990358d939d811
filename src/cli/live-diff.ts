/**
 * `tower diff`'s work: read what Fly runs for each app, plan as the AppDO would (the same
 * `readLiveApp` and `planDeploy`), and pair each machine update with the fields that differ.
 */
import type { ResolvedApp } from "../config";
import {
  configChanges,
  createFlyClient,
  type FieldChange,
  type FlyClient,
  type LiveApp,
  type Plan,
  planDeploy,
  readLiveApp,
} from "../fly";
import { desiredForDiff } from "./desired-for-diff";

export interface MachineDiff {
  op: "create" | "update" | "replace" | "destroy";
  name: string;
  machineId?: string;
  group: string;
  region: string;
  /** For update and replace: what changes, live → wanted. */
  fields?: FieldChange[];
}

export interface AppDiff {
  name: string;
  exists: boolean;
  changed: boolean;
  image: { ref: string; from: "config" | "live" | "build" };
  secretsCompared: "values" | "names";
  plan: Plan;
  /** Keyed by plan step id: the machine changes of that step with their field diffs. */
  machines: Record<string, MachineDiff[]>;
  notes: string[];
}

/** The hash stamp changes with any config change: shown only when nothing else explains an update. */
export const HASH_STAMP = "metadata.tower_config_hash";

export function flyClientFromEnv(env: NodeJS.ProcessEnv): FlyClient | null {
  if (!env.FLY_API_TOKEN) return null;
  // Two attempts: a person is waiting, and a refused connection will not heal in a backoff.
  return createFlyClient({ baseUrl: env.FLY_API_BASE, token: env.FLY_API_TOKEN, retry: { attempts: 2 } });
}

export async function diffApps(
  client: FlyClient,
  apps: ResolvedApp[],
  lookup: (key: string) => string | undefined,
): Promise<AppDiff[]> {
  return Promise.all(apps.map(async (app) => diffApp(app, await readLiveApp(client, app.name), lookup)));
}

export function diffApp(app: ResolvedApp, live: LiveApp, lookup: (key: string) => string | undefined): AppDiff {
  const input = desiredForDiff(app, live, lookup);
  const plan = planDeploy(input.desired, live);
  const byId = new Map(live.machines.map((m) => [m.id, m]));
  const machines: Record<string, MachineDiff[]> = {};
  for (const step of plan.steps) {
    if (step.kind !== "machines") continue;
    machines[step.id] = step.changes.map((c) => {
      const out: MachineDiff = { op: c.op, name: c.name, group: c.group, region: c.region };
      if (c.op === "create") return out;
      out.machineId = c.machineId;
      const config = byId.get(c.machineId)?.config;
      if (c.op !== "destroy" && config) {
        const fields = configChanges(c.config, config);
        const real = fields.filter((f) => f.path !== HASH_STAMP);
        out.fields = real.length ? real : fields;
      }
      return out;
    });
  }
  return {
    name: app.name,
    exists: live.exists,
    changed: plan.steps.length > 0,
    image: input.image,
    secretsCompared: input.secretsCompared,
    plan,
    machines,
    notes: [...input.notes, ...plan.notes],
  };
}
