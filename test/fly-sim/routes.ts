/** The operations the simulator answers, with Fly's operationIds, declared query parameters and bodies. */
import * as apps from "./handlers/apps";
import * as certs from "./handlers/certificates";
import * as ips from "./handlers/ips";
import * as leases from "./handlers/leases";
import * as actions from "./handlers/machine-actions";
import * as reads from "./handlers/machine-reads";
import * as machines from "./handlers/machines";
import * as meta from "./handlers/metadata";
import * as secrets from "./handlers/secrets";
import * as tokens from "./handlers/tokens";
import * as volumes from "./handlers/volumes";
import type { Route } from "./router";

const A = "/apps/{app_name}";
const M = `${A}/machines/{machine_id}`;

export const routes: Route[] = [
  { method: "GET", template: "/apps", operation: "Apps_list", query: ["org_slug", "app_role"], handler: apps.listApps },
  // `wait`: not in the API description, sent by fly-go (flaps/flaps_apps.go CreateApp).
  {
    method: "POST",
    template: "/apps",
    operation: "Apps_create",
    query: ["wait"],
    body: true,
    handler: apps.createApp,
  },
  { method: "GET", template: A, operation: "Apps_show", handler: apps.showApp },
  { method: "DELETE", template: A, operation: "Apps_delete", handler: apps.deleteApp },
  {
    method: "POST",
    template: `${A}/deploy_token`,
    operation: "App_create_deploy_token",
    body: true,
    handler: tokens.createDeployToken,
  },

  {
    method: "GET",
    template: `${A}/machines`,
    operation: "Machines_list",
    query: ["include_deleted", "region", "state", "summary"],
    handler: machines.listMachines,
  },
  {
    method: "POST",
    template: `${A}/machines`,
    operation: "Machines_create",
    body: true,
    handler: machines.createMachine,
  },
  { method: "GET", template: M, operation: "Machines_show", handler: machines.showMachine },
  { method: "POST", template: M, operation: "Machines_update", body: true, handler: machines.updateMachine },
  { method: "DELETE", template: M, operation: "Machines_delete", query: ["force"], handler: machines.deleteMachine },
  { method: "POST", template: `${M}/start`, operation: "Machines_start", handler: actions.startMachine },
  { method: "POST", template: `${M}/stop`, operation: "Machines_stop", body: true, handler: actions.stopMachine },
  {
    method: "POST",
    template: `${M}/restart`,
    operation: "Machines_restart",
    query: ["timeout", "signal"],
    handler: actions.restartMachine,
  },
  { method: "POST", template: `${M}/suspend`, operation: "Machines_suspend", handler: actions.suspendMachine },
  { method: "POST", template: `${M}/signal`, operation: "Machines_signal", body: true, handler: actions.signalMachine },
  { method: "POST", template: `${M}/cordon`, operation: "Machines_cordon", handler: actions.cordonMachine },
  { method: "POST", template: `${M}/uncordon`, operation: "Machines_uncordon", handler: actions.uncordonMachine },
  {
    method: "GET",
    template: `${M}/wait`,
    operation: "Machines_wait",
    query: ["version", "instance_id", "from_event_id", "timeout", "state"],
    handler: reads.waitMachine,
  },
  {
    method: "GET",
    template: `${M}/events`,
    operation: "Machines_list_events",
    query: ["limit"],
    handler: reads.listEvents,
  },
  { method: "GET", template: `${M}/versions`, operation: "Machines_list_versions", handler: reads.listVersions },
  { method: "GET", template: `${M}/lease`, operation: "Machines_show_lease", handler: leases.showLease },
  {
    method: "POST",
    template: `${M}/lease`,
    operation: "Machines_create_lease",
    body: true,
    handler: leases.createLease,
  },
  { method: "DELETE", template: `${M}/lease`, operation: "Machines_release_lease", handler: leases.releaseLease },
  { method: "GET", template: `${M}/metadata`, operation: "Machines_show_metadata", handler: meta.showMetadata },
  {
    method: "PUT",
    template: `${M}/metadata`,
    operation: "Machines_update_metadata",
    body: true,
    handler: meta.replaceMetadata,
  },
  {
    method: "PATCH",
    template: `${M}/metadata`,
    operation: "Machines_update_metadata",
    body: true,
    handler: meta.replaceMetadata,
  },
  {
    method: "GET",
    template: `${M}/metadata/{key}`,
    operation: "Machines_get_metadata_key",
    handler: meta.getMetadataKey,
  },
  {
    method: "POST",
    template: `${M}/metadata/{key}`,
    operation: "Machines_upsert_metadata",
    body: true,
    handler: meta.upsertMetadataKey,
  },
  {
    method: "DELETE",
    template: `${M}/metadata/{key}`,
    operation: "Machines_delete_metadata",
    handler: meta.deleteMetadataKey,
  },

  {
    method: "GET",
    template: `${A}/volumes`,
    operation: "Volumes_list",
    query: ["summary"],
    handler: volumes.listVolumes,
  },
  { method: "POST", template: `${A}/volumes`, operation: "Volumes_create", body: true, handler: volumes.createVolume },
  { method: "GET", template: `${A}/volumes/{volume_id}`, operation: "Volumes_get_by_id", handler: volumes.showVolume },
  {
    method: "PUT",
    template: `${A}/volumes/{volume_id}`,
    operation: "Volumes_update",
    body: true,
    handler: volumes.updateVolume,
  },
  { method: "DELETE", template: `${A}/volumes/{volume_id}`, operation: "Volume_delete", handler: volumes.deleteVolume },
  {
    method: "PUT",
    template: `${A}/volumes/{volume_id}/extend`,
    operation: "Volumes_extend",
    body: true,
    handler: volumes.extendVolume,
  },

  {
    method: "GET",
    template: `${A}/secrets`,
    operation: "Secrets_list",
    query: ["min_version", "show_secrets"],
    handler: secrets.listSecrets,
  },
  { method: "POST", template: `${A}/secrets`, operation: "Secrets_update", body: true, handler: secrets.updateSecrets },
  {
    method: "GET",
    template: `${A}/secrets/{secret_name}`,
    operation: "Secret_get",
    query: ["min_version", "show_secrets"],
    handler: secrets.showSecret,
  },
  {
    method: "POST",
    template: `${A}/secrets/{secret_name}`,
    operation: "Secret_create",
    body: true,
    handler: secrets.setSecret,
  },
  {
    method: "DELETE",
    template: `${A}/secrets/{secret_name}`,
    operation: "Secret_delete",
    handler: secrets.deleteSecret,
  },

  { method: "GET", template: `${A}/ip_assignments`, operation: "App_IPAssignments_list", handler: ips.listIps },
  {
    method: "POST",
    template: `${A}/ip_assignments`,
    operation: "App_IPAssignments_create",
    body: true,
    handler: ips.assignIp,
  },
  {
    method: "DELETE",
    template: `${A}/ip_assignments/{ip}`,
    operation: "App_IPAssignments_delete",
    handler: ips.deleteIp,
  },

  {
    method: "GET",
    template: `${A}/certificates`,
    operation: "App_Certificates_list",
    query: ["filter", "cursor", "limit"],
    handler: certs.listCertificates,
  },
  {
    method: "POST",
    template: `${A}/certificates/acme`,
    operation: "App_Certificates_acme_create",
    body: true,
    handler: certs.createAcmeCertificate,
  },
  {
    method: "GET",
    template: `${A}/certificates/{hostname}`,
    operation: "App_Certificates_show",
    handler: certs.showCertificate,
  },
  {
    method: "DELETE",
    template: `${A}/certificates/{hostname}`,
    operation: "App_Certificates_delete",
    handler: certs.deleteCertificate,
  },
];
