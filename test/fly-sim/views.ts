/** JSON shapes the simulator answers with, field names as in Fly's API description. */
import { echoConfig } from "./config-echo";
import type { SimCore } from "./context";
import { imageBehaviour } from "./image-behaviour";
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

/**
 * Check results as Fly reports them: none at all until `checksReportMs` after the current run
 * started (flyctl internal/machine/leasable_machine.go WaitForHealthchecksToPass: "Machine.Checks
 * (runtime status) is empty for freshly-launched machines"), then `critical` until `checksPassMs`
 * (the grace period), then `passing` — unless a test's rule or the image (image-behaviour.ts:
 * `unhealthy`, `crash-loop`) keeps them critical. Undefined means the answer has no `checks`.
 */
export function checkStatuses(core: SimCore, m: SimMachine) {
  const names = checkNames(m);
  if (names.length === 0 || m.startedAt === undefined) return undefined;
  const age = Date.now() - m.startedAt;
  const { checksReportMs, checksPassMs } = core.runtime.timings;
  if (age < checksReportMs) return undefined;
  const failing =
    imageBehaviour(m.config.image) !== undefined ||
    core.failingChecks.some(
      (r) =>
        (r.app === undefined || r.app === m.app) &&
        (r.machine === undefined || r.machine === m.id) &&
        (r.image === undefined || m.config.image.includes(r.image)),
    );
  const passing = m.state === "started" && age >= checksPassMs && !failing;
  const updatedAt = new Date(m.startedAt).toISOString();
  const output = passing
    ? "OK"
    : failing || age >= checksPassMs
      ? "check failed (simulated): 503 Service Unavailable"
      : "connect: connection refused (within the grace period)";
  return names.map((name) => ({ name, status: passing ? "passing" : "critical", output, updated_at: updatedAt }));
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
  const checks = checkStatuses(core, m);
  return {
    ...base,
    config: echoConfig(m.config),
    events: m.events.slice(0, 10),
    ...(checks ? { checks } : {}),
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
