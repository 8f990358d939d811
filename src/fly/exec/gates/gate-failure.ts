import { StepStalled } from "../step-outcome";

/**
 * What stopped a deploy at a gate: which gate, on which machine, the check and the output Fly
 * reported (or the exit code). Plain data: recorded in `deploy.failed` and shown by the API.
 */
export interface GateFailure {
  gate: "health" | "smoke" | "release-command" | "bluegreen";
  /** Machine id. */
  machine?: string;
  check?: string;
  /** The check's last output as Fly reported it (bounded). */
  output?: string;
  exitCode?: number;
}

/** A step stalled because a gate failed: the deploy ends, and (unless opted out) a restore follows. */
export class GateFailed extends StepStalled {
  constructor(
    readonly failure: GateFailure,
    message: string,
  ) {
    super(message);
  }
}

/** Check output comes from the app: kept short so one chatty check cannot grow the log. */
export function boundedOutput(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  return text.length > 500 ? `${text.slice(0, 500)}…` : text;
}
