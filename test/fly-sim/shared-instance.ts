/**
 * One simulator for a whole vitest run. Both projects run globalSetup in the same Node process, so
 * the first caller starts it (truncating the suite's request log once) and the last one closes it.
 */
import { type FlySim, type FlySimOptions, startFlySim } from "./sim";

interface Shared {
  sim: Promise<FlySim>;
  users: number;
}

const KEY = Symbol.for("tower.fly-sim.shared");
const registry = globalThis as { [KEY]?: Shared };

/** Starts (or joins) the run's simulator; call the returned function to leave it. */
export async function acquireSharedFlySim(options: FlySimOptions): Promise<{ sim: FlySim; release(): Promise<void> }> {
  if (!registry[KEY] && typeof options.record === "string") {
    // Simulators that tests start on their own append to the same log (workers fork after this).
    process.env.TOWER_FLY_SIM_RECORD = options.record;
  }
  const shared = (registry[KEY] ??= { sim: startFlySim({ ...options, truncateRecord: true }), users: 0 });
  shared.users++;
  const sim = await shared.sim;
  let released = false;
  return {
    sim,
    async release() {
      if (released) return;
      released = true;
      if (--shared.users > 0) return;
      delete registry[KEY];
      await sim.close();
    },
  };
}
