/**
 * `tower diff`'s work: read what Fly runs for each app, plan as the AppDO would (the same
 * `readLiveApp` and `planDeploy`), and pair each machine update with the fields that differ.
 */
import { MACHINE_METADATA } from "../base/machine-metadata";
import type { ResolvedApp } from "../config";
import { configChanges, createFlyClient, type FlyClient, type LiveApp, planDeploy, readLiveApp } from "../fly";
import type { AppDiff, MachineDiff } from "./app-diff";
import { desiredForDiff } from "./desired-for-diff";

// What diff and the live plan need besides this file's own, in one lazily loaded module.
export { apiBase } from "../fly";
export { explainFlyError } from "./fly-errors";
export { renderDiff } from "./render-diff";

/** The hash stamp changes with any config change: shown only when nothing else explains an update. */
export const HASH_STAMP = `metadata.${MACHINE_METADATA.configHash}`;

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
