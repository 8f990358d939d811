import type { FlyMachineConfig } from "../../config/fly-machine-config";

/**
 * How many checks a machine's *config* has, top-level and inside services: the results list is
 * empty on a freshly started machine, so only the config says whether there is anything to wait
 * for (flyctl internal/machine/leasable_machine.go WaitForHealthchecksToPass,
 * internal/command/deploy/strategy_bluegreen.go machineHasConfiguredChecks).
 */
export function configuredChecks(config: FlyMachineConfig | undefined): number {
  const top = Object.keys(config?.checks ?? {}).length;
  return (config?.services ?? []).reduce((n, s) => n + (s.checks?.length ?? 0), top);
}
