/** A plain-JSON picture of the simulator's state, for tests (Node or workerd via /_sim/state). */
import type { SimCore } from "./context";
import { activeLease } from "./handlers/leases";
import { emptyCounters, type SimCounters } from "./world";

export interface SimStateSnapshot {
  apps: {
    name: string;
    org_slug: string;
    secrets_version: number;
    secrets: { name: string; digest: string }[];
    ips: { ip: string; type: string; region: string }[];
    certificates: string[];
  }[];
  machines: {
    id: string;
    app: string;
    name: string;
    region: string;
    state: string;
    instance_id: string;
    config: unknown;
    cordoned: boolean;
    skip_service_registration: boolean;
    lease: { owner: string; nonce: string; expires_at: number } | null;
    exit_code: number | null;
    versions: number;
  }[];
  volumes: {
    id: string;
    app: string;
    name: string;
    region: string;
    size_gb: number;
    attached_machine_id: string | null;
    state: string;
  }[];
  counters: SimCounters;
  /** Requests served per Fly operationId. */
  request_counts: Record<string, number>;
}

export function snapshot(core: SimCore, requestCounts: Record<string, number>, app?: string): SimStateSnapshot {
  const keep = (name: string) => app === undefined || name === app;
  return {
    apps: [...core.world.apps.values()]
      .filter((a) => keep(a.name))
      .map((a) => ({
        name: a.name,
        org_slug: a.orgSlug,
        secrets_version: a.secretsVersion,
        secrets: [...a.secrets].map(([name, s]) => ({ name, digest: s.digest })),
        ips: a.ips.map((ip) => ({ ip: ip.ip, type: ip.type, region: ip.region })),
        certificates: [...a.certificates.keys()],
      })),
    machines: [...core.world.machines.values()]
      .filter((m) => keep(m.app))
      .map((m) => {
        const lease = activeLease(core, m);
        return {
          id: m.id,
          app: m.app,
          name: m.name,
          region: m.region,
          state: m.state,
          instance_id: m.instanceId,
          config: m.config,
          cordoned: m.cordoned,
          skip_service_registration: m.skipServiceRegistration,
          lease: lease ? { owner: lease.owner, nonce: lease.nonce, expires_at: lease.expiresAt } : null,
          exit_code: m.exitCode ?? null,
          versions: m.versions.length,
        };
      }),
    volumes: [...core.world.volumes.values()]
      .filter((v) => keep(v.app))
      .map((v) => ({
        id: v.id,
        app: v.app,
        name: v.name,
        region: v.region,
        size_gb: v.sizeGb,
        attached_machine_id: v.attachedMachineId,
        state: v.state,
      })),
    counters: app === undefined ? { ...core.world.counters } : { ...(core.countersByApp.get(app) ?? emptyCounters()) },
    request_counts: requestCounts,
  };
}
