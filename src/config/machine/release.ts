import { MACHINE_METADATA, ONE_OFF_GROUPS } from "../../base/machine-metadata";
import type { FlyMachineConfig } from "../fly-machine-config";
import { isPlainObject, type PlainObject } from "../merge";
import { base64, shellSplit, stopConfigFor } from "./extras";
import { list } from "./groups";
import { computeToGuest } from "./guest";

const RELEASE_COMMAND_GROUP = ONE_OFF_GROUPS.releaseCommand;

/**
 * The machine that runs `[deploy] release_command`, as flyctl's `ToReleaseMachineConfig`
 * (internal/appconfig/machines.go) makes it: the command shell-split, swap, the experimental
 * entrypoint, `[env]` plus RELEASE_COMMAND, no DNS registration, never restarted, destroyed when
 * it exits, the app's stop config and every `[[files]]` entry. Its guest is `release_command_vm`'s;
 * without one the planner infers it from the live machines (flyctl `inferReleaseCommandGuest`).
 */
export function releaseMachineFor(
  cfg: PlainObject,
  primaryRegion: string,
  image: string,
): FlyMachineConfig | undefined {
  const deploy = isPlainObject(cfg.deploy) ? cfg.deploy : {};
  if (typeof deploy.release_command !== "string") return undefined;
  const init: NonNullable<FlyMachineConfig["init"]> = { cmd: shellSplit(deploy.release_command) };
  if (typeof cfg.swap_size_mb === "number") init.swap_size_mb = cfg.swap_size_mb;
  const exp = isPlainObject(cfg.experimental) ? cfg.experimental : {};
  if (Array.isArray(exp.entrypoint)) init.entrypoint = exp.entrypoint.map(String);
  else if (typeof exp.entrypoint === "string") init.entrypoint = shellSplit(exp.entrypoint);
  const env: Record<string, string> = {};
  if (isPlainObject(cfg.env)) for (const [k, v] of Object.entries(cfg.env)) env[k] = String(v);
  Object.assign(env, { RELEASE_COMMAND: "1", FLY_PROCESS_GROUP: RELEASE_COMMAND_GROUP });
  if (primaryRegion) env.PRIMARY_REGION = primaryRegion;
  const config: FlyMachineConfig = {
    image,
    init,
    env,
    restart: { policy: "no" },
    auto_destroy: true,
    dns: { skip_registration: true },
    metadata: { [MACHINE_METADATA.platformVersion]: "v2", [MACHINE_METADATA.processGroup]: RELEASE_COMMAND_GROUP },
  };
  const stop = stopConfigFor(cfg);
  if (stop) config.stop_config = stop;
  // flyctl's MergedFiles: every entry, whatever its `processes` (a later guest path wins).
  const files = new Map<string, NonNullable<FlyMachineConfig["files"]>[number]>();
  for (const f of list(cfg.files)) {
    const guest_path = String(f.guest_path);
    if (typeof f.secret_name === "string") files.set(guest_path, { guest_path, secret_name: f.secret_name });
    else if (typeof f.raw_value === "string") files.set(guest_path, { guest_path, raw_value: base64(f.raw_value) });
  }
  if (files.size > 0) config.files = [...files.values()];
  if (isPlainObject(deploy.release_command_vm))
    config.guest = computeToGuest(deploy.release_command_vm, cfg.host_dedication_id);
  return config;
}
