/**
 * Broken releases a test can deploy by naming them: an image whose repository or tag carries
 * `crash-loop` runs a process that exits 1 shortly after every start (and restarts under the
 * restart policy); one carrying `unhealthy` runs, but its checks never pass. E.g.
 * `registry.example/web:crash-loop`, `registry.example/web:unhealthy-2`, `crash-loop/web:1`.
 */
import type { MachineProgram } from "./programs";
import type { SimMachine } from "./world";

export type ImageBehaviour = "crash-loop" | "unhealthy";

const MARKERS: ImageBehaviour[] = ["crash-loop", "unhealthy"];

/** The behaviour an image name asks for; a digest (`@sha256:…`) is not read. */
export function imageBehaviour(image: string): ImageBehaviour | undefined {
  const name = image.split("@")[0] ?? "";
  return MARKERS.find((marker) => new RegExp(`(^|[/:._-])${marker}([/:._-]|$)`).test(name));
}

/**
 * A crash-looping server: exits 1 after `runMs`. The runtime writes the exit events Fly writes
 * (`exit_event.restarting`, a growing `restart_count`), which is what flyctl reads to call an app
 * crashing (internal/machine/leasable_machine.go isConstantlyRestarting).
 */
export function crashLoopProgram(runMs: () => number): MachineProgram {
  return {
    name: "crash-loop",
    matches: (m: SimMachine) => imageBehaviour(m.config.image) === "crash-loop",
    run: (_m, signal) =>
      new Promise((resolve, reject) => {
        const t = setTimeout(() => resolve({ exitCode: 1 }), runMs());
        signal.addEventListener("abort", () => {
          clearTimeout(t);
          reject(signal.reason);
        });
      }),
  };
}
