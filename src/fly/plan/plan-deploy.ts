import type { DesiredApp } from "../../config/desired-app";
import { layOutStrategy } from "./lay-out-strategy";
import { planIps } from "./plan-ips";
import { planMachines } from "./plan-machines";
import type { LiveApp, Plan, PlanOptions, PlanStep } from "./plan-types";
import { releaseCommandConfig } from "./release-command";
import { createVolumePool } from "./volume-pool";

/**
 * Pure: what to do so Fly runs `desired`, given what it runs now. App, secrets, volumes and IPs
 * first; then the release command; then machine changes laid out by the deploy strategy. An app
 * already in its desired state gets a plan with no steps, unless `force` asks for a redeploy.
 */
export function planDeploy(desired: DesiredApp, live: LiveApp, options: PlanOptions = {}): Plan {
  const notes: string[] = [];
  const deploy = { ...desired.deploy };
  const mounts = desired.groups.some((g) => g.config.mounts?.length);
  if (deploy.strategy === "bluegreen" && mounts) {
    notes.push("bluegreen cannot move volumes between machines: deploying rolling instead");
    deploy.strategy = "rolling";
  }
  const steps: PlanStep[] = [];
  if (!live.exists) steps.push({ id: "create-app", kind: "create-app", org: desired.org });

  const names = Object.keys(desired.secrets).sort();
  const missing = names.some((n) => !live.secretNames.includes(n));
  if (names.length && (missing || live.secretsDigest !== desired.secretsDigest))
    steps.push({ id: "set-secrets", kind: "set-secrets", names, digest: desired.secretsDigest });
  const removed = (options.managedSecrets ?? []).filter((n) => !(n in desired.secrets) && live.secretNames.includes(n));
  if (removed.length) steps.push({ id: "unset-secrets", kind: "unset-secrets", names: [...new Set(removed)].sort() });

  const pool = createVolumePool(desired, live.volumes);
  const changes = planMachines(desired, live.machines, pool, {
    bluegreen: deploy.strategy === "bluegreen",
    // Machines keep an unset secret in their env until they restart: an unset restarts them all.
    force: (options.force ?? false) || removed.length > 0,
  });
  steps.push(...pool.steps, ...planIps(desired, live.ips));

  const release = releaseCommandConfig(desired, live.machines);
  if (changes.length && deploy.releaseCommand && release && changes.some((c) => c.op !== "destroy"))
    steps.push({
      id: "release-command",
      kind: "release-command",
      command: deploy.releaseCommand,
      config: release,
      region: desired.primaryRegion,
      timeoutMs: deploy.releaseCommandTimeoutMs ?? 5 * 60_000,
    });
  const perGroup: Record<string, number> = {};
  for (const g of desired.groups) perGroup[g.processGroup] = (perGroup[g.processGroup] ?? 0) + g.count;
  steps.push(...layOutStrategy(changes, deploy, perGroup));
  return {
    app: desired.name,
    configHash: desired.configHash,
    strategy: deploy.strategy,
    waitTimeoutMs: deploy.waitTimeoutMs,
    steps,
    known: { volumes: live.volumes.map((v) => v.id).sort(), ips: live.ips.map((a) => a.ip).sort() },
    notes,
  };
}
