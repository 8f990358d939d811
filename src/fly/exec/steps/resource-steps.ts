import { inOrg, waitForApp } from "../../client/app-ready";
import { isGone } from "../../client/is-gone";
import { ipType } from "../../plan/plan-ips";
import type { PlanStep } from "../../plan/plan-types";
import { checkTimeout, type StepContext } from "../step-context";
import { StepStalled, StepWaiting } from "../step-outcome";

type Of<K extends PlanStep["kind"]> = Extract<PlanStep, { kind: K }>;

/**
 * Looks before creating (the app may exist from an attempt whose answer was lost), then waits
 * until Fly answers for the new app, handing back between slices (client/app-ready.ts).
 */
export async function createApp(ctx: StepContext, step: Of<"create-app">) {
  if (!ctx.journal.made[step.id]) {
    const found = await ctx.client.getApp(ctx.app);
    if (found && inOrg(found, ctx.app, step.org)) return;
    await ctx.client.createApp({ name: ctx.app, org_slug: step.org });
    ctx.journal.made[step.id] = ctx.app;
  }
  const wait = { until: ctx.deadline - 500, now: ctx.now, sleep: ctx.sleep, pollMs: Math.min(ctx.pollMs, 100) };
  if (await waitForApp(ctx.client, ctx.app, step.org, wait)) return;
  checkTimeout(ctx, `the new app ${ctx.app} to answer`);
  throw new StepWaiting(250, `the new app ${ctx.app} does not answer yet`);
}

/** Values come from the DesiredApp in memory; the plan only knows their names and digest. */
export async function setSecrets(ctx: StepContext, step: Of<"set-secrets">) {
  if (ctx.desired.secretsDigest !== step.digest)
    throw new StepStalled("secrets changed since the plan was made: plan again");
  const values = Object.fromEntries(step.names.map((n) => [n, ctx.desired.secrets[n] ?? ""]));
  const { version } = await ctx.client.setSecrets(ctx.app, values);
  if (version !== null) ctx.journal.secretsVersion = version;
}

/**
 * One DELETE per name; a name already gone (an attempt whose answer was lost) counts as done.
 * Machines updated after it ask for at least the last version Fly gave.
 */
export async function unsetSecrets(ctx: StepContext, step: Of<"unset-secrets">) {
  for (const name of step.names) {
    const { version } = await ctx.client.deleteSecret(ctx.app, name);
    if (version !== null) ctx.journal.secretsVersion = Math.max(version, ctx.journal.secretsVersion ?? 0);
  }
}

/** A volume of this name and region that Fly did not have at plan time and no other step claims is ours. */
export async function createVolume(ctx: StepContext, step: Of<"create-volume">) {
  if (ctx.journal.made[step.id]) return;
  const claimed = new Set([...ctx.plan.known.volumes, ...Object.values(ctx.journal.made)]);
  const listed = await ctx.client.listVolumes(ctx.app);
  const orphan = listed.find(
    (v) => v.name === step.name && v.region === step.region && !claimed.has(v.id) && !isGone(v),
  );
  const body = {
    name: step.name,
    region: step.region,
    size_gb: step.sizeGb,
    ...(step.encrypted === undefined ? {} : { encrypted: step.encrypted }),
    ...(step.compute ? { compute: step.compute } : {}),
    ...(step.snapshotRetention === undefined ? {} : { snapshot_retention: step.snapshotRetention }),
    ...(step.autoBackupEnabled === undefined ? {} : { auto_backup_enabled: step.autoBackupEnabled }),
  };
  const vol = orphan ?? (await ctx.client.createVolume(ctx.app, body, listed));
  ctx.journal.made[step.id] = vol.id;
}

/** Grow only: a volume already at least this big is left alone. */
export async function extendVolume(ctx: StepContext, step: Of<"extend-volume">) {
  const vol = (await ctx.client.listVolumes(ctx.app)).find((v) => v.id === step.volumeId);
  if (!vol) throw new StepStalled(`volume ${step.volumeId} (${step.name}, ${step.region}) no longer exists`);
  if (vol.size_gb >= step.sizeGb) return;
  await ctx.client.extendVolume(ctx.app, step.volumeId, step.sizeGb);
}

export async function assignIp(ctx: StepContext, step: Of<"assign-ip">) {
  if (ctx.journal.made[step.id]) return;
  const claimed = new Set([...ctx.plan.known.ips, ...Object.values(ctx.journal.made)]);
  const listed = await ctx.client.listIps(ctx.app);
  const orphan = listed.find((a) => !claimed.has(a.ip) && ipType(a) === step.type);
  const body = { type: step.type, ...(step.region ? { region: step.region } : {}) };
  const ip = orphan ?? (await ctx.client.assignIp(ctx.app, body, listed));
  ctx.journal.made[step.id] = ip.ip;
}

export async function releaseIp(ctx: StepContext, step: Of<"release-ip">) {
  await ctx.client.releaseIp(ctx.app, step.ip);
}
