import type { FlyMachineConfig, FlyMachineGuest } from "./fly-machine-config";
import type { MachineCheckSpec } from "./machine/machine-checks";

/**
 * What one Fly app should look like: the contract between `src/config` (which produces it from a
 * resolved app) and the planner in `src/fly` (which compares it with what Fly runs). Plain data.
 */
export interface DesiredApp {
  name: string;
  org: string;
  primaryRegion: string;
  /** Canonical hash of everything that shapes the deploy (see src/config hashing). */
  configHash: string;
  /** One entry per process group × region. `config.image` is set before planning. */
  groups: DesiredGroup[];
  /** Volumes the mounts need, per region: one per machine that mounts. */
  volumes: DesiredVolume[];
  ips: DesiredIp[];
  /** Release IPs not listed in `ips` (off by default: never drop an address by surprise). */
  autoPruneIps: boolean;
  /** Secret values, in memory only: never persisted, logged or returned. */
  secrets: Record<string, string>;
  /** Digest of `secrets` (sorted names and values): what is stored and compared. */
  secretsDigest: string;
  deploy: DeploySettings;
}

export interface DesiredGroup {
  processGroup: string;
  region: string;
  count: number;
  /**
   * Without a guest (no `[[vm]]` for the group, no `vm_size`), a live machine keeps its own and a
   * new one gets shared-cpu-1x, as with flyctl; the planner fills it in.
   */
  config: FlyMachineConfig;
  /** The app's (or the group's compute section's) `host_dedication_id`, also when there is no guest. */
  hostDedicationId?: string;
  /** `machine_checks`: test machines run against each updated machine before the rollout goes on. */
  machineChecks?: MachineCheckSpec[];
}

export interface DesiredVolume {
  name: string;
  region: string;
  sizeGb: number;
  /** How many volumes of this name the region needs (one per machine that mounts it). */
  count: number;
  encrypted?: boolean;
  /** The guest of the machines it is for: Fly places the volume where such a machine fits. */
  compute?: FlyMachineGuest;
  snapshotRetention?: number;
  /** `[mounts] scheduled_snapshots`. */
  autoBackupEnabled?: boolean;
}

export interface DesiredIp {
  type: "v6" | "shared_v4" | "v4" | "private_v6";
  region?: string;
}

export type DeployStrategy = "rolling" | "immediate" | "canary" | "bluegreen";

export interface DeploySettings {
  strategy: DeployStrategy;
  /** A fraction (< 1) of the group's machines or an absolute count (≥ 1). */
  maxUnavailable: number;
  waitTimeoutMs: number;
  releaseCommand?: string;
  /** `release_command_timeout`; absent means flyctl's default, 5 minutes. */
  releaseCommandTimeoutMs?: number;
  /**
   * The release-command machine's config (flyctl `ToReleaseMachineConfig`). Without a guest (no
   * `release_command_vm`) the planner gives it that of the largest live machine of the default
   * group, else shared-cpu-2x (flyctl `inferReleaseCommandGuest`).
   */
  releaseMachine?: FlyMachineConfig;
}
