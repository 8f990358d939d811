import type { FlyMachineEvent } from "./fly-types";

interface ExitEvent {
  exit_code?: number;
}

/**
 * The exit code of a machine's latest run, from its events (newest first), read as fly-go's
 * `MachineRequest.GetExitCode` (machine_types.go) reads it: the monitor event's exit event first,
 * else the exit event; `exit_code` is `omitempty` there, so an exit event without it means 0.
 * Undefined when no exit event is listed.
 */
export function exitCodeOf(events: FlyMachineEvent[]): number | undefined {
  const request = events.find((e) => e.type === "exit")?.request;
  if (!request) return undefined;
  const monitor = (request.MonitorEvent as { exit_event?: ExitEvent } | undefined)?.exit_event;
  const exit = monitor ?? (request.exit_event as ExitEvent | undefined);
  if (!exit) return undefined;
  return typeof exit.exit_code === "number" ? exit.exit_code : 0;
}
