/** JSON shapes the simulator answers with, field names as in Fly's API description. */
import type { SimCore } from "./context";
import type { SimApp, SimMachine, SimVolume } from "./world";

export function checkNames(m: SimMachine): string[] {
  const names = Object.keys(m.config.checks ?? {});
  (m.config.services ?? []).forEach((s) => {
    (s.checks ?? []).forEach((c, i) => {
      names.push(`servicecheck-${String(i).padStart(2, "0")}-${c.type ?? "tcp"}-${s.internal_port}`);
    });
  });
  return names;
}

/** Checks pass a while after the current version started, unless a test made them fail. */
export function checkStatuses(core: SimCore, m: SimMachine) {
  const failing = core.failingChecks.some(
    (r) =>
      (r.app === undefined || r.app === m.app) &&
      (r.machine === undefined || r.machine === m.id) &&
      (r.image === undefined || m.config.image.includes(r.image)),
  );
  const passing =
    m.state === "started" &&
    m.startedAt !== undefined &&
    Date.now() - m.startedAt >= core.runtime.timings.checksPassMs &&
    !failing;
  const updatedAt = new Date(m.startedAt ?? Date.parse(m.updatedAt)).toISOString();
  return checkNames(m).map((name) => ({
    name,
    status: passing ? "passing" : m.state === "started" && !failing ? "warning" : "critical",
    output: passing ? "OK" : failing ? "check failed (simulated)" : "waiting for grace period",
    updated_at: updatedAt,
  }));
}

function imageRef(image: string) {
  const [withoutDigest = "", digest = ""] = image.split("@");
  const slash = withoutDigest.indexOf("/");
  const registry =
    slash > 0 && /[.:]/.test(withoutDigest.slice(0, slash)) ? withoutDigest.slice(0, slash) : "docker.io";
  const rest = registry === "docker.io" ? withoutDigest : withoutDigest.slice(slash + 1);
  const colon = rest.lastIndexOf(":");
  const repository = colon > 0 ? rest.slice(0, colon) : rest;
  const tag = colon > 0 ? rest.slice(colon + 1) : "latest";
  return { registry, repository, tag, digest, labels: {} };
}

export function machineView(core: SimCore, m: SimMachine, summary = false): Record<string, unknown> {
  const base: Record<string, unknown> = {
    id: m.id,
    name: m.name,
    state: m.state,
    region: m.region,
    instance_id: m.instanceId,
    private_ip: m.privateIp,
    created_at: m.createdAt,
    updated_at: m.updatedAt,
    image_ref: imageRef(m.config.image),
  };
  if (summary) return { ...base, config: { metadata: m.config.metadata ?? {} } };
  return {
    ...base,
    config: m.config,
    events: m.events.slice(0, 10),
    checks: checkStatuses(core, m),
    host_status: "ok",
  };
}

export function volumeView(v: SimVolume): Record<string, unknown> {
  const blockSize = 4096;
  const blocks = (v.sizeGb * 1024 ** 3) / blockSize;
  return {
    id: v.id,
    name: v.name,
    state: v.state,
    region: v.region,
    zone: v.zone,
    size_gb: v.sizeGb,
    encrypted: v.encrypted,
    fstype: v.fstype,
    type: "local",
    attached_machine_id: v.attachedMachineId,
    attached_alloc_id: null,
    auto_backup_enabled: v.autoBackupEnabled,
    snapshot_retention: v.snapshotRetention,
    block_size: blockSize,
    blocks,
    blocks_free: blocks,
    blocks_avail: blocks,
    bytes_total: v.sizeGb * 1024 ** 3,
    bytes_used: 0,
    created_at: v.createdAt,
    host_status: "ok",
  };
}

export function appView(core: SimCore, app: SimApp): Record<string, unknown> {
  const machines = [...core.world.machines.values()].filter((m) => m.app === app.name && m.state !== "destroyed");
  const volumes = [...core.world.volumes.values()].filter((v) => v.app === app.name && v.state !== "destroyed");
  return {
    id: app.id,
    name: app.name,
    network: app.network,
    organization: { name: app.orgSlug, slug: app.orgSlug },
    status: machines.length > 0 ? "deployed" : "pending",
    machine_count: machines.length,
    volume_count: volumes.length,
  };
}
