import type { FlyMachine } from "../../client/fly-types";

interface ExitEvent {
  exit_code?: number;
  restarting?: boolean;
  requested_stop?: boolean;
}

/**
 * Whether a machine keeps crashing, read as flyctl's `isConstantlyRestarting`
 * (internal/machine/leasable_machine.go): its latest exit (events are newest first) was not asked
 * for, Fly is restarting it, it has restarted more than once, and the code is not 0. Returns the
 * exit code then, else undefined. Events are read only back to the current version's `launch` or
 * `update` event.
 */
export function crashLoopExitCode(machine: FlyMachine): number | undefined {
  // Only the current version's runs count: exits before its launch or update were another image's.
  const events = machine.events ?? [];
  const boundary = events.findIndex((e) => e.type === "launch" || e.type === "update");
  const current = boundary < 0 ? events : events.slice(0, boundary);
  const request = current.find((e) => e.type === "exit")?.request;
  if (!request) return undefined;
  const exit = (request.exit_event ?? {}) as ExitEvent;
  const restarts = typeof request.restart_count === "number" ? request.restart_count : 0;
  const code = typeof exit.exit_code === "number" ? exit.exit_code : 0; // omitempty: missing is 0 (fly-go GetExitCode)
  return !exit.requested_stop && exit.restarting === true && restarts > 1 && code !== 0 ? code : undefined;
}
