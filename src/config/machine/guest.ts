import type { FlyMachineGuest } from "../fly-machine-config";
import { isPlainObject, type PlainObject } from "../merge";
import { sizeToMb } from "../sizes";
import { list } from "./groups";
import { DEFAULT_GPU_VM_SIZE, DEFAULT_VM_SIZE, preset } from "./presets";

/** `[[compute]]` is flyctl's other name for `[[vm]]` (flyctl internal/appconfig/patches.go `patchCompute`). */
export function computeSections(cfg: PlainObject): PlainObject[] {
  return [...list(cfg.compute), ...list(cfg.vm)];
}

/**
 * The compute section of a group, as flyctl's `ComputeForGroup` (processgroups.go) picks it: the
 * last one naming the group, else the first without `processes` (which applies to every group,
 * unlike other sections). The file order of global and specific sections does not matter.
 */
export function computeFor(cfg: PlainObject, group: string): PlainObject | undefined {
  const all = computeSections(cfg);
  const named = (c: PlainObject) => Array.isArray(c.processes) && c.processes.length > 0;
  return all.filter((c) => named(c) && (c.processes as unknown[]).includes(group)).at(-1) ?? all.find((c) => !named(c));
}

/**
 * A compute section → guest, as flyctl's `computeToGuest` (machines.go): its size (a `gpu_kind`
 * without one means performance-8x), the app's host dedication, `memory`, then the section's own
 * guest fields. Sizes are validated before (extra-checks.ts), so an unknown one cannot reach here.
 */
export function computeToGuest(compute: PlainObject, hostDedicationId: unknown): FlyMachineGuest {
  const size =
    typeof compute.size === "string"
      ? compute.size
      : compute.gpu_kind !== undefined
        ? DEFAULT_GPU_VM_SIZE
        : DEFAULT_VM_SIZE;
  const guest = preset(size) ?? preset(DEFAULT_VM_SIZE)!;
  if (typeof hostDedicationId === "string" && hostDedicationId) guest.host_dedication_id = hostDedicationId;
  if (compute.memory !== undefined) guest.memory_mb = sizeToMb(compute.memory as number | string);
  if (compute.cpu_kind === "shared" || compute.cpu_kind === "performance") guest.cpu_kind = compute.cpu_kind;
  if (typeof compute.cpus === "number") guest.cpus = compute.cpus;
  if (typeof compute.memory_mb === "number") guest.memory_mb = compute.memory_mb;
  if (typeof compute.gpu_kind === "string") guest.gpu_kind = compute.gpu_kind;
  if (typeof compute.gpus === "number") guest.gpus = compute.gpus;
  if (typeof compute.host_dedication_id === "string") guest.host_dedication_id = compute.host_dedication_id;
  if (Array.isArray(compute.kernel_args)) guest.kernel_args = compute.kernel_args.map(String);
  return guest;
}

/**
 * A group's guest: its compute section's (flyctl `toMachineGuest`); without one, Tower's app-wide
 * `vm_size` and flycd's `machines.ram_mb/cpu_cores/cpu_type` (what flyctl's `--vm-*` flags do).
 * Undefined when none is set: then, as with flyctl, a machine keeps the guest it has (`fly scale vm`
 * sticks) and a new one gets shared-cpu-1x (the planner fills it in).
 */
export function guestFor(cfg: PlainObject, group: string): FlyMachineGuest | undefined {
  const compute = computeFor(cfg, group);
  if (compute) return computeToGuest(compute, compute.host_dedication_id ?? cfg.host_dedication_id);
  const m = isPlainObject(cfg.machines) ? cfg.machines : {};
  const flags =
    typeof cfg.vm_size === "string" || m.ram_mb !== undefined || m.cpu_cores !== undefined || m.cpu_type !== undefined;
  if (!flags) return undefined;
  const guest = preset(typeof cfg.vm_size === "string" ? cfg.vm_size : DEFAULT_VM_SIZE) ?? preset(DEFAULT_VM_SIZE)!;
  if (typeof m.ram_mb === "number") guest.memory_mb = m.ram_mb;
  if (typeof m.cpu_cores === "number") guest.cpus = m.cpu_cores;
  if (m.cpu_type === "shared" || m.cpu_type === "performance") guest.cpu_kind = m.cpu_type;
  if (typeof cfg.host_dedication_id === "string") guest.host_dedication_id = cfg.host_dedication_id;
  return guest;
}

/** The host dedication a group's machines get even without a guest in config (flyctl Flatten syncs it). */
export function hostDedicationFor(cfg: PlainObject, group: string): string | undefined {
  const hdid = computeFor(cfg, group)?.host_dedication_id ?? cfg.host_dedication_id;
  return typeof hdid === "string" && hdid ? hdid : undefined;
}
