/** The simulator's state: plain data, inspected by tests through `FlySim.state()`. */
import type { MachineConfig } from "./schemas/machine-config";

export type MachineState =
  | "created"
  | "starting"
  | "started"
  | "stopping"
  | "stopped"
  | "replacing"
  | "suspended"
  | "destroying"
  | "destroyed"
  | "failed";

export interface SimEvent {
  id: string;
  type: string;
  status: string;
  source: "user" | "flyd";
  timestamp: number;
  request?: Record<string, unknown>;
}

export interface SimLease {
  nonce: string;
  owner: string;
  description: string;
  /** Epoch milliseconds on the simulator's (possibly scaled) lease clock. */
  expiresAt: number;
  version: string;
}

export interface SimMachine {
  id: string;
  app: string;
  name: string;
  region: string;
  state: MachineState;
  config: MachineConfig;
  instanceId: string;
  versions: { version: string; config: MachineConfig }[];
  events: SimEvent[];
  createdAt: string;
  updatedAt: string;
  privateIp: string;
  lease?: SimLease;
  /** Nonces of leases that ended, and how: acting with one again means two holders overlapped. */
  pastNonces: Map<string, "expired" | "released" | "destroyed">;
  cordoned: boolean;
  skipServiceRegistration: boolean;
  /** When the current version reached `started` (ms), for check grace periods. */
  startedAt?: number;
  exitCode?: number;
  /** Restarts after exits under the restart policy, since the last update. */
  restartCount: number;
  /** Bumped on every transition so timers of an older one do nothing. */
  generation: number;
}

export interface SimSecret {
  value: string;
  digest: string;
  createdAt: string;
  updatedAt: string;
}

export interface SimVolume {
  id: string;
  app: string;
  name: string;
  region: string;
  zone: string;
  sizeGb: number;
  encrypted: boolean;
  fstype: string;
  autoBackupEnabled: boolean;
  snapshotRetention: number;
  attachedMachineId: string | null;
  createdAt: string;
  state: "created" | "destroyed";
}

export interface SimIp {
  ip: string;
  type: "v6" | "shared_v4" | "v4" | "private_v6";
  region: string;
  serviceName: string;
  network?: string;
  createdAt: string;
}

export interface SimCertificate {
  hostname: string;
  createdAt: string;
}

export interface SimApp {
  id: string;
  name: string;
  orgSlug: string;
  /** Epoch ms from which the new app answers (404 before): see handlers/apps.ts. */
  readyAt: number;
  /** Held by an organisation the caller's token cannot see: 403 on every request naming it. */
  foreign: boolean;
  network: string;
  createdAt: string;
  secrets: Map<string, SimSecret>;
  secretsVersion: number;
  ips: SimIp[];
  certificates: Map<string, SimCertificate>;
}

export interface SimCounters {
  /** Mutations refused because someone else held the machine's lease (409). */
  leaseConflicts: number;
  /** A caller acted with a nonce whose lease had lapsed or been released: two holders overlapped. */
  leaseOverlaps: number;
  /** Leases that expired while still held (never released). */
  leaseExpiries: number;
  /** Mounts naming a volume attached to another machine or in another region (refused). */
  doubleMounts: number;
  /** Updates that tried to change a machine's mounts (ignored, as Fly does). */
  ignoredMountChanges: number;
  rateLimited: number;
  faultsInjected: number;
}

export interface World {
  apps: Map<string, SimApp>;
  machines: Map<string, SimMachine>;
  volumes: Map<string, SimVolume>;
  counters: SimCounters;
  ipSeq: number;
}

export function emptyCounters(): SimCounters {
  return {
    leaseConflicts: 0,
    leaseOverlaps: 0,
    leaseExpiries: 0,
    doubleMounts: 0,
    ignoredMountChanges: 0,
    rateLimited: 0,
    faultsInjected: 0,
  };
}

export function emptyWorld(): World {
  return { apps: new Map(), machines: new Map(), volumes: new Map(), counters: emptyCounters(), ipSeq: 1 };
}

export function isLive(m: SimMachine): boolean {
  return m.state !== "destroyed" && m.state !== "destroying";
}
