import type { FlyMachineGuest } from "../fly-machine-config";

const shared = (cpus: number): FlyMachineGuest => ({ cpu_kind: "shared", cpus, memory_mb: cpus * 256 });
const performance = (cpus: number): FlyMachineGuest => ({ cpu_kind: "performance", cpus, memory_mb: cpus * 2048 });
const gpu = (gpu_kind: string): FlyMachineGuest => ({
  cpu_kind: "performance",
  cpus: 8,
  memory_mb: 16 * 2048,
  gpu_kind,
  gpus: 1,
});

/** fly-go machine_types.go `MachinePresets`, exactly: the names `size`/`vm_size` accept. */
export const MACHINE_PRESETS: Readonly<Record<string, FlyMachineGuest>> = {
  "shared-cpu-1x": shared(1),
  "shared-cpu-2x": shared(2),
  "shared-cpu-4x": shared(4),
  "shared-cpu-6x": shared(6),
  "shared-cpu-8x": shared(8),
  "performance-1x": performance(1),
  "performance-2x": performance(2),
  "performance-4x": performance(4),
  "performance-6x": performance(6),
  "performance-8x": performance(8),
  "performance-10x": performance(10),
  "performance-12x": performance(12),
  "performance-14x": performance(14),
  "performance-16x": performance(16),
  "a100-40gb": gpu("a100-pcie-40gb"),
  "a100-80gb": gpu("a100-sxm4-80gb"),
  l40s: gpu("l40s"),
  a10: gpu("a10"),
};

/** fly-go `DefaultVMSize`: new machines without a size. */
export const DEFAULT_VM_SIZE = "shared-cpu-1x";
/** fly-go `DefaultGPUVMSize`: a `[[vm]]` with `gpu_kind` and no size. */
export const DEFAULT_GPU_VM_SIZE = "performance-8x";

/** A preset by name, copied (callers change it), or undefined when there is none. */
export function preset(name: string): FlyMachineGuest | undefined {
  const p = Object.hasOwn(MACHINE_PRESETS, name) ? MACHINE_PRESETS[name] : undefined;
  return p && { ...p };
}

/** The message for an unknown size: it names every size there is (fly-go `SetSize` names them too). */
export function unknownSizeMessage(name: string): string {
  return `unknown VM size "${name}": use one of ${Object.keys(MACHINE_PRESETS).join(", ")}`;
}
