import type { FlyMachineConfig, FlyMachineGuest } from "../../config/fly-machine-config";

/** Shapes of Fly Machines API answers and requests Tower uses; names as in the API description. */
export interface FlyApp {
  id?: string;
  name: string;
  network?: string;
  organization?: { name?: string; slug?: string };
  status?: string;
  machine_count?: number;
  volume_count?: number;
}

export interface FlyCheckStatus {
  name?: string;
  output?: string;
  status?: string;
  updated_at?: string;
}

export interface FlyMachineEvent {
  id?: string;
  type?: string;
  status?: string;
  source?: string;
  timestamp?: number;
  /** For `exit` events: `{exit_event: {exit_code, ...}}` among others. */
  request?: Record<string, unknown>;
}

export interface FlyMachine {
  id: string;
  name?: string;
  state?: string;
  region?: string;
  instance_id?: string;
  private_ip?: string;
  /** As Fly stores it: what Tower sent plus fields Fly fills in. */
  config?: FlyMachineConfig;
  checks?: FlyCheckStatus[];
  events?: FlyMachineEvent[];
  created_at?: string;
  updated_at?: string;
}

export interface CreateMachineRequest {
  name?: string;
  region?: string;
  config: FlyMachineConfig;
  skip_launch?: boolean;
  skip_service_registration?: boolean;
  min_secrets_version?: number;
  lease_ttl?: number;
}

export interface UpdateMachineRequest {
  config: FlyMachineConfig;
  current_version?: string;
  skip_launch?: boolean;
  skip_service_registration?: boolean;
  min_secrets_version?: number;
}

export interface FlyLease {
  nonce?: string;
  expires_at?: number;
  owner?: string;
  description?: string;
  version?: string;
}

export interface FlyWaitResponse {
  ok?: boolean;
  state?: string;
  event_id?: string;
  version?: string;
}

export type FlyWaitState = "started" | "stopped" | "suspended" | "destroyed" | "failed" | "settled";

export interface FlyVolume {
  id: string;
  name: string;
  region: string;
  size_gb: number;
  state?: string;
  encrypted?: boolean;
  attached_machine_id?: string | null;
  attached_alloc_id?: string | null;
  zone?: string;
  created_at?: string;
}

export interface CreateVolumeRequest {
  name: string;
  region: string;
  size_gb: number;
  encrypted?: boolean;
  require_unique_zone?: boolean;
  /** The guest of the machine it is for: Fly places the volume on a host that fits it. */
  compute?: FlyMachineGuest;
  snapshot_retention?: number;
  auto_backup_enabled?: boolean;
}

export interface FlySecret {
  name: string;
  digest?: string;
  created_at?: string;
  updated_at?: string;
}

export interface FlyIpAssignment {
  ip: string;
  region?: string;
  service_name?: string;
  shared?: boolean;
  created_at?: string;
}

export interface AssignIpRequest {
  type: "v6" | "shared_v4" | "v4" | "private_v6";
  region?: string;
  network?: string;
  org_slug?: string;
  service_name?: string;
}

export interface FlyCertificate {
  hostname: string;
  status?: string;
  configured?: boolean;
}
