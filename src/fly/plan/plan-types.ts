import type { DeployStrategy } from "../../config/desired-app";
import type { FlyMachineConfig, FlyMachineGuest } from "../../config/fly-machine-config";
import type { FlyIpAssignment, FlyMachine, FlyVolume } from "../client/fly-types";

/** What Fly runs now for one app, as read by `readLiveApp`. Plain data. */
export interface LiveApp {
  name: string;
  exists: boolean;
  machines: FlyMachine[];
  volumes: FlyVolume[];
  /** Secret names only: Fly never returns values. */
  secretNames: string[];
  /**
   * Digest of the secrets Tower last applied: given by the caller when it keeps it, otherwise read
   * from the `tower_secrets` metadata of the managed machines (null when unknown).
   */
  secretsDigest: string | null;
  ips: FlyIpAssignment[];
}

/** Where a new machine's volume comes from: one that exists, or one a create-volume step makes. */
export type VolumeRef = { id: string } | { step: string };

export type MachineChange =
  | {
      op: "create";
      name: string;
      group: string;
      region: string;
      config: FlyMachineConfig;
      /** Mount name → volume. */
      volumes?: Record<string, VolumeRef>;
      /** Blue-green: the new machine takes no traffic until the switch. */
      skipServiceRegistration?: boolean;
    }
  | { op: "update"; machineId: string; name: string; group: string; region: string; config: FlyMachineConfig }
  /** A mount changed: the old machine goes, a new one (its volume kept when the name matches) comes. */
  | {
      op: "replace";
      machineId: string;
      name: string;
      group: string;
      region: string;
      config: FlyMachineConfig;
      volumes?: Record<string, VolumeRef>;
    }
  | { op: "destroy"; machineId: string; name: string; group: string; region: string };

export type PlanStep =
  | { id: string; kind: "create-app"; org: string }
  /** Values come from the DesiredApp at run time: a plan never holds them. */
  | { id: string; kind: "set-secrets"; names: string[]; digest: string }
  /** Names Tower set before that the config no longer has (and Fly still does). */
  | { id: string; kind: "unset-secrets"; names: string[] }
  | {
      id: string;
      kind: "create-volume";
      name: string;
      region: string;
      sizeGb: number;
      encrypted?: boolean;
      /** Guest of the machines it is for (placement), `snapshot_retention`, `auto_backup_enabled`. */
      compute?: FlyMachineGuest;
      snapshotRetention?: number;
      autoBackupEnabled?: boolean;
    }
  | { id: string; kind: "extend-volume"; volumeId: string; name: string; region: string; sizeGb: number }
  | { id: string; kind: "assign-ip"; type: "v6" | "shared_v4" | "v4" | "private_v6"; region?: string }
  | { id: string; kind: "release-ip"; ip: string }
  /** `timeoutMs`: how long the command may run (`release_command_timeout`); absent in older plans. */
  | {
      id: string;
      kind: "release-command";
      command: string;
      config: FlyMachineConfig;
      region: string;
      timeoutMs?: number;
    }
  /** A batch of machine changes; `wait` adds wait-started and checks-passing under leases. */
  | { id: string; kind: "machines"; changes: MachineChange[]; wait: boolean }
  /** Blue-green switch: green machines (by name) start taking traffic, blue ones stop. */
  | { id: string; kind: "switch-traffic"; green: string[]; blue: string[] };

export interface PlanOptions {
  /**
   * Redeploy: every managed machine is updated (same config, the new release stamp) through the
   * strategy, even when nothing differs. Admin force-syncs only; drift re-applies leave it off.
   */
  force?: boolean;
  /**
   * Secret names Tower set on this app before. Those no longer desired are unset; a name Tower
   * never set (one set by hand with `fly secrets set`) is never touched.
   */
  managedSecrets?: readonly string[];
}

export interface Plan {
  app: string;
  configHash: string;
  strategy: DeployStrategy;
  waitTimeoutMs: number;
  steps: PlanStep[];
  /** Volume ids and addresses Fly had when planning: anything else of a planned kind was made by this run. */
  known: { volumes: string[]; ips: string[] };
  /** Why the plan differs from what was asked (e.g. bluegreen with volumes runs rolling). */
  notes: string[];
}
