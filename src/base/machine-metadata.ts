/**
 * Metadata keys on the machines Tower manages: flyctl's (so `fly status` and flyctl see Tower's
 * machines as a normal app's; internal/appconfig/machines.go in flyctl sets the same) and Tower's own.
 * config writes them into desired machine configs; fly plans and reads live machines by them.
 */
export const MACHINE_METADATA = {
  platformVersion: "fly_platform_version",
  processGroup: "fly_process_group",
  releaseId: "fly_release_id",
  releaseVersion: "fly_release_version",
  /** `"true"` on machines Tower made. */
  managed: "tower_managed",
  /** The resolved app's config hash the machine was made from. */
  configHash: "tower_config_hash",
  /** Digest of the full machine config Tower applied: catches fields removed from the desired config. */
  configDigest: "tower_config",
  /** Digest of the app's secrets when this machine was last updated. */
  secretsDigest: "tower_secrets",
} as const;

/**
 * Process groups of one-off machines, destroyed when they exit and never planned as the app's:
 * the release command's and machine checks' (fly-go `MachineProcessGroupFlyAppReleaseCommand`,
 * `MachineProcessGroupFlyAppTestMachineCommand`).
 */
export const ONE_OFF_GROUPS = {
  releaseCommand: "fly_app_release_command",
  machineCheck: "fly_app_test_machine_command",
} as const;
