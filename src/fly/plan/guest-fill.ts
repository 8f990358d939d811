import type { FlyMachineConfig, FlyMachineGuest } from "../../config/fly-machine-config";

/** fly-go `DefaultVMSize` (machine_types.go): what a new machine gets when nothing sizes it. */
const DEFAULT_GUEST: FlyMachineGuest = { cpu_kind: "shared", cpus: 1, memory_mb: 256 };

/**
 * A machine config with its guest settled. Config without a guest leaves a live machine's as it
 * is — flyctl's `toMachineGuest` returns none so `fly scale vm` sticks — and gives a new machine
 * shared-cpu-1x (flyctl `launchInputForLaunch`). The app's host dedication is applied on top
 * (flyctl machines_launchinput.go).
 */
export function guestFilled(
  config: FlyMachineConfig,
  live: FlyMachineGuest | undefined,
  hostDedicationId: string | undefined,
): FlyMachineConfig {
  const guest = config.guest ?? live ?? DEFAULT_GUEST;
  const settled = hostDedicationId ? { ...guest, host_dedication_id: hostDedicationId } : guest;
  return { ...config, guest: settled };
}
