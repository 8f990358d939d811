import type { FlyMachineConfig } from "../fly-machine-config";
import { isPlainObject, type PlainObject } from "../merge";
import { stopConfigFor } from "./extras";
import { list } from "./groups";

/**
 * A `machine_checks` entry, resolved as far as config can: the test machine flyctl starts after a
 * machine of the group is updated and healthy, whose exit code decides the deploy (flyctl
 * internal/command/deploy/machinebasedtest.go `runTestMachines`). The rest comes from the machine
 * under test (src/fly/plan/test-machine.ts).
 */
export interface MachineCheckSpec {
  command: string[];
  /** The check's image; absent: the tested machine's. */
  image?: string;
  /** The check's entrypoint or `[experimental] entrypoint`; absent: the tested machine's. */
  entrypoint?: string[];
  stopConfig?: FlyMachineConfig["stop_config"];
  /** The app's `[env]`. */
  env: Record<string, string>;
  swapSizeMb?: number;
}

/**
 * The checks of `group`: those of every http_service / services entry that names the group or
 * names none (flyctl matches an empty `processes` to every group here), then the top-level ones.
 */
export function machineChecksFor(cfg: PlainObject, group: string): MachineCheckSpec[] {
  const services = [...list(cfg.http_service), ...list(cfg.services)].filter((s) => {
    const named = Array.isArray(s.processes) ? s.processes : [];
    return named.length === 0 || named.includes(group);
  });
  const checks = [...services.flatMap((s) => list(s.machine_checks)), ...list(cfg.machine_checks)];
  const env: Record<string, string> = {};
  if (isPlainObject(cfg.env)) for (const [k, v] of Object.entries(cfg.env)) env[k] = String(v);
  const exp = isPlainObject(cfg.experimental) ? cfg.experimental : {};
  const expEntrypoint = Array.isArray(exp.entrypoint) ? exp.entrypoint.map(String) : undefined;
  return checks.map((c) => {
    const spec: MachineCheckSpec = { command: (c.command as unknown[]).map(String), env };
    if (typeof c.image === "string" && c.image) spec.image = c.image;
    const entrypoint = expEntrypoint ?? (Array.isArray(c.entrypoint) ? c.entrypoint.map(String) : undefined);
    if (entrypoint) spec.entrypoint = entrypoint;
    // flyctl machines.go ToTestMachineConfig: with its own image, only the check's kill settings
    // (else the image's defaults); without, the check's or else the app's.
    const own = stopConfigFor({ kill_signal: c.kill_signal, kill_timeout: c.kill_timeout });
    const app = stopConfigFor(cfg);
    const stop = spec.image ? own : { ...app, ...own };
    if (stop && Object.keys(stop).length > 0) spec.stopConfig = stop;
    if (typeof cfg.swap_size_mb === "number") spec.swapSizeMb = cfg.swap_size_mb;
    return spec;
  });
}
