/**
 * The executor's memory, plain JSON the caller persists after each `advance` (e.g. in Durable
 * Object storage). It only ever speeds things up: every step also looks at Fly before acting, so
 * a journal that lost its last writes (an eviction mid-step) still leads to no duplicates.
 */
export interface DeployJournal {
  v: 1;
  /** Tags leases (`tower:<runId>`) and names the release-command machine. */
  runId: string;
  release: { id: string; version: number };
  status: "running" | "succeeded" | "failed";
  failure?: { step: string; reason: string };
  steps: Record<string, StepRecord>;
  /** create-volume / assign-ip step id → what it made. */
  made: Record<string, string>;
  /** Secrets version set by this run: new machine configs ask for at least it. */
  secretsVersion?: number;
}

export interface StepRecord {
  status: "running" | "done";
  startedAt: number;
  finishedAt?: number;
  /** Consecutive transient failures: past the limit the step stalls. */
  retries: number;
  /** Per machine change of a `machines` step, by index. */
  machines?: Record<string, MachineRecord>;
  /** The release-command machine. */
  machineId?: string;
}

export interface MachineRecord {
  id?: string;
  /** The machine version (`instance_id`) after Tower changed it. */
  version?: string;
  lease?: { nonce: string; until: number };
  applied?: boolean;
  started?: boolean;
  healthy?: boolean;
  released?: boolean;
  /** Updated with `skip_launch` (it was stopped or suspended): stays down, nothing to wait for. */
  asleep?: boolean;
  /** Test machines of its `machine_checks`, by check; `checked` once all exited 0. */
  checkMachines?: string[];
  checked?: boolean;
}

export function newJournal(runId: string, release: { id: string; version: number }): DeployJournal {
  return { v: 1, runId, release, status: "running", steps: {}, made: {} };
}
