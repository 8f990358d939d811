import type { FlyMachineGuest } from "../fly-machine-config";
import { isPlainObject, type PlainObject } from "../merge";
import { parseVmSize, sizeToMb } from "../sizes";
import { appliesTo, list } from "./groups";

const DEFAULT = "shared-cpu-1x";

/**
 * A group's guest: `vm_size` (default shared-cpu-1x), then each `[[vm]]` that applies (later wins;
 * `memory` overrides the preset's), then flycd's `machines.ram_mb/cpu_cores/cpu_type`.
 */
export function guestFor(cfg: PlainObject, group: string): FlyMachineGuest {
  let guest: FlyMachineGuest = { ...parseVmSize(typeof cfg.vm_size === "string" ? cfg.vm_size : DEFAULT)! };
  for (const vm of list(cfg.vm).filter((v) => appliesTo(v, group))) {
    if (typeof vm.size === "string") guest = { ...guest, ...parseVmSize(vm.size) };
    if (vm.cpu_kind !== undefined) guest.cpu_kind = vm.cpu_kind as FlyMachineGuest["cpu_kind"];
    if (typeof vm.cpus === "number") guest.cpus = vm.cpus;
    if (vm.memory !== undefined) guest.memory_mb = sizeToMb(vm.memory as number | string);
    if (typeof vm.memory_mb === "number") guest.memory_mb = vm.memory_mb;
    if (vm.gpu_kind !== undefined) guest.gpu_kind = String(vm.gpu_kind);
    if (typeof vm.gpus === "number") guest.gpus = vm.gpus;
    if (Array.isArray(vm.kernel_args)) guest.kernel_args = vm.kernel_args.map(String);
  }
  const m = isPlainObject(cfg.machines) ? cfg.machines : {};
  if (typeof m.ram_mb === "number") guest.memory_mb = m.ram_mb;
  if (typeof m.cpu_cores === "number") guest.cpus = m.cpu_cores;
  if (m.cpu_type === "shared" || m.cpu_type === "performance") guest.cpu_kind = m.cpu_type;
  return guest;
}
