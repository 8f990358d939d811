import type { GateFailure } from "./gates/gate-failure";

/** What one step did in one slice: Flux's done / requeue / transient retry / terminal stall. */
export type StepOutcome =
  | { step: string; kind: "done" }
  | { step: string; kind: "wait"; afterMs: number; reason: string }
  | { step: string; kind: "retry"; afterMs: number; reason: string }
  /** `gate`: the deploy stopped at a gate (gates/gate-failure.ts), not on an error. */
  | { step: string; kind: "stalled"; reason: string; gate?: GateFailure };

/** Thrown inside a step to end the deploy with a reason (the step is named by the runner). */
export class StepStalled extends Error {}

/** Thrown inside a step when it must come back later (budget spent, still waiting). */
export class StepWaiting extends Error {
  constructor(
    readonly afterMs: number,
    reason: string,
  ) {
    super(reason);
  }
}
