import { MACHINE_METADATA, ONE_OFF_GROUPS } from "../../base/machine-metadata";
import type { FlyMachineConfig } from "../../config/fly-machine-config";
import type { MachineCheckSpec } from "../../config/machine/machine-checks";
import type { FlyMachine } from "../client/fly-types";

const TEST_MACHINE_GROUP = ONE_OFF_GROUPS.machineCheck;

/**
 * A machine check's test machine for the machine under test, as flyctl's `ToTestMachineConfig`
 * (internal/appconfig/machines.go) makes it: the check's command; its image and entrypoint, else
 * the tested machine's; `[env]` under the tested machine's env, with FLY_TEST_COMMAND and the
 * tested machine's private IP; never restarted, not in DNS, destroyed when it exits; the tested
 * machine's guest (flyctl `inferCanaryGuest` sizes it like the group's machines).
 */
export function testMachineConfig(spec: MachineCheckSpec, tested: FlyMachine, primaryRegion: string): FlyMachineConfig {
  const live = tested.config;
  const init: NonNullable<FlyMachineConfig["init"]> = { cmd: spec.command };
  const entrypoint = spec.entrypoint ?? live?.init?.entrypoint;
  if (entrypoint) init.entrypoint = entrypoint;
  if (spec.swapSizeMb !== undefined) init.swap_size_mb = spec.swapSizeMb;
  const config: FlyMachineConfig = {
    image: spec.image ?? live?.image ?? "",
    init,
    env: {
      ...spec.env,
      ...live?.env,
      FLY_TEST_COMMAND: "1",
      FLY_PROCESS_GROUP: TEST_MACHINE_GROUP,
      PRIMARY_REGION: primaryRegion,
      FLY_TEST_MACHINE_IP: tested.private_ip ?? "",
    },
    restart: { policy: "no" },
    auto_destroy: true,
    dns: { skip_registration: true },
    metadata: { [MACHINE_METADATA.platformVersion]: "v2", [MACHINE_METADATA.processGroup]: TEST_MACHINE_GROUP },
  };
  if (spec.stopConfig) config.stop_config = spec.stopConfig;
  if (live?.guest) config.guest = live.guest;
  return config;
}
