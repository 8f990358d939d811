import { parse } from "shell-quote";
import { MACHINE_METADATA } from "../../base/machine-metadata";
import type { DesiredApp } from "../../config/desired-app";
import type { FlyMachineConfig } from "../../config/fly-machine-config";
import { releaseCommandGroup } from "./machine-config";

/**
 * The one-off machine that runs `[deploy] release_command` with the new image, as flyctl makes it:
 * no services, checks or mounts, destroyed when it exits, never restarted.
 */
export function releaseCommandConfig(desired: DesiredApp, command: string): FlyMachineConfig {
  const base = (desired.groups.find((g) => g.processGroup === "app") ?? desired.groups[0])?.config;
  const words = parse(command);
  const cmd = words.every((w) => typeof w === "string") ? (words as string[]) : ["/bin/sh", "-c", command];
  const config: FlyMachineConfig = {
    image: base?.image ?? "",
    env: { ...base?.env, RELEASE_COMMAND: "1", FLY_PROCESS_GROUP: releaseCommandGroup },
    init: { cmd },
    restart: { policy: "no" },
    auto_destroy: true,
    metadata: { [MACHINE_METADATA.platformVersion]: "v2", [MACHINE_METADATA.processGroup]: releaseCommandGroup },
  };
  if (base?.guest) config.guest = base.guest;
  return config;
}
