import { MACHINE_METADATA } from "../../base/machine-metadata";
import type { FlyClient } from "../client/fly-client";
import { isGone } from "../client/is-gone";
import { managedMachines } from "../plan/plan-machines";
import type { LiveApp } from "../plan/plan-types";

/**
 * Reads what Fly runs for one app (a handful of list calls, no writes). `secretsDigest` is the
 * digest of the secrets Tower last applied when the caller keeps it; without it, the digest the
 * managed machines carry in their metadata stands in (when they all agree).
 */
export async function readLiveApp(
  client: FlyClient,
  name: string,
  opts: { secretsDigest?: string | null } = {},
): Promise<LiveApp> {
  const app = await client.getApp(name);
  if (!app) return { name, exists: false, machines: [], volumes: [], secretNames: [], secretsDigest: null, ips: [] };
  const [machines, volumes, secrets, ips] = await Promise.all([
    client.listMachines(name),
    client.listVolumes(name),
    client.listSecrets(name),
    client.listIps(name),
  ]);
  const live = machines.filter((m) => !isGone(m));
  return {
    name,
    exists: true,
    machines: live,
    volumes,
    secretNames: secrets.map((s) => s.name),
    secretsDigest: opts.secretsDigest !== undefined ? opts.secretsDigest : digestFromMachines(live),
    ips,
  };
}

function digestFromMachines(machines: LiveApp["machines"]): string | null {
  const seen = new Set(
    managedMachines(machines).map((m) => m.config?.metadata?.[MACHINE_METADATA.secretsDigest] ?? ""),
  );
  return seen.size === 1 ? [...seen][0] || null : null;
}
