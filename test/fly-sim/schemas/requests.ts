/** Request bodies of the operations Tower uses, named as in Fly's API description. */
import { z } from "zod";
import { guest, machineConfig } from "./machine-config";
import { duration, int, signal, stopSignal, stringMap } from "./primitives";

export const createAppRequest = z.strictObject({
  enable_subdomains: z.boolean().optional(),
  name: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, { message: "app names are lowercase letters, digits and -" }),
  network: z.string().optional(),
  org_slug: z.string().min(1),
});

/** CreateAppDeployTokenRequest. */
export const createDeployTokenRequest = z.strictObject({ expiry: z.string().optional() });

const machineRequestFields = {
  config: machineConfig,
  lease_ttl: int.min(1).optional(),
  lsvd: z.boolean().optional(),
  min_secrets_version: int.optional(),
  name: z.string().optional(),
  region: z.string().optional(),
  skip_launch: z.boolean().optional(),
  skip_secrets: z.boolean().optional(),
  skip_service_registration: z.boolean().optional(),
};

export const createMachineRequest = z.strictObject({ ...machineRequestFields, region: z.string().min(1) });
export const updateMachineRequest = z.strictObject({ ...machineRequestFields, current_version: z.string().optional() });

export const createLeaseRequest = z.strictObject({ description: z.string().optional(), ttl: int.min(1).optional() });
export const stopRequest = z.strictObject({ signal: stopSignal.optional(), timeout: duration.optional() });
export const signalRequest = z.strictObject({ signal });

export const createVolumeRequest = z.strictObject({
  auto_backup_enabled: z.boolean().optional(),
  compute: guest.optional(),
  compute_image: z.string().optional(),
  encrypted: z.boolean().optional(),
  fstype: z.string().optional(),
  name: z.string().regex(/^[a-z0-9_]{1,30}$/, { message: "volume names are [a-z0-9_], at most 30 characters" }),
  region: z.string().min(1),
  require_unique_zone: z.boolean().optional(),
  size_gb: int.min(1),
  snapshot_id: z.string().optional(),
  snapshot_retention: int.optional(),
  source_volume_id: z.string().optional(),
  unique_zone_app_wide: z.boolean().optional(),
});

export const extendVolumeRequest = z.strictObject({ size_gb: int.min(1) });
export const updateVolumeRequest = z.strictObject({
  auto_backup_enabled: z.boolean().optional(),
  snapshot_retention: int.optional(),
});

export const appSecretsUpdateRequest = z.strictObject({ values: stringMap });
export const setAppSecretRequest = z.strictObject({ value: z.string() });

export const assignIpRequest = z.strictObject({
  network: z.string().optional(),
  org_slug: z.string().optional(),
  region: z.string().optional(),
  service_name: z.string().optional(),
  type: z.enum(["v6", "shared_v4", "v4", "private_v6"]),
});

export const createAcmeCertificateRequest = z.strictObject({ hostname: z.string().min(1) });

export const updateMetadataRequest = z.strictObject({
  machine_version: z.string().optional(),
  metadata: stringMap,
  updated_at: z.string().optional(),
});
export const upsertMetadataKeyRequest = z.strictObject({ updated_at: z.string().optional(), value: z.string() });
