/** What one step did in one slice: Flux's done / requeue / transient retry / terminal stall. */
export type StepOutcome =
  | { step: string; outcome: "done" }
  | { step: string; outcome: "wait"; afterMs: number; reason: string }
  | { step: string; outcome: "retry"; afterMs: number; reason: string }
  /** `gate`: the deploy stopped at a gate (GateFailure below), not on an error. */
  | { step: string; outcome: "stalled"; reason: string; gate?: GateFailure };

/** The name of what a step did: the same word in the journal, the log and the API (`DeployStep`). */
export type StepOutcomeName = StepOutcome["outcome"];

/** Thrown inside a step to end the deploy with a reason (the step is named by the runner). */
export class StepStalled extends Error {}

/**
 * What stopped a deploy at a gate: which gate, on which machine, the check and the output Fly
 * reported (or the exit code). Plain data: recorded in `deploy.failed` and shown by the API.
 */
export interface GateFailure {
  gate: "health" | "smoke" | "release-command" | "bluegreen";
  /** Machine id. */
  machine?: string;
  check?: string;
  /** The check's last output as Fly reported it (bounded: gates/bounded-output.ts). */
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

/** Thrown inside a step when it must come back later (budget spent, still waiting). */
export class StepWaiting extends Error {
  constructor(
    readonly afterMs: number,
    reason: string,
  ) {
    super(reason);
  }
}

/**
 * How long to wait before the next slice: the largest delay any step of this slice asked for (a
 * server's Retry-After included), 0 when none did. Waiting less would only earn another 429.
 */
export function delayAfter(outcomes: readonly StepOutcome[]): number {
  let delay = 0;
  for (const o of outcomes) if (o.outcome === "wait" || o.outcome === "retry") delay = Math.max(delay, o.afterMs);
  return delay;
}
