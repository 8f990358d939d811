import type { DeployRun } from "./deploy-run";
import type { DeployJournal } from "./journal";
import { delayAfter, type StepOutcome } from "./step-outcome";

export interface RunResult {
  status: DeployJournal["status"];
  failure?: DeployJournal["failure"];
  outcomes: StepOutcome[];
}

/** Drives a run slice after slice (for tests, benchmarks and the CLI; the AppDO uses alarms). */
export async function runToCompletion(
  run: DeployRun,
  opts: { sliceMs?: number; now?: () => number; sleep?: (ms: number) => Promise<void> } = {},
): Promise<RunResult> {
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const outcomes: StepOutcome[] = [];
  // `advance` starts no step with less than a second left: a shorter slice would never progress.
  const sliceMs = Math.max(1500, opts.sliceMs ?? 60_000);
  while (run.journal.status === "running") {
    const slice = await run.advance({ deadline: now() + sliceMs });
    outcomes.push(...slice);
    const delay = delayAfter(slice);
    if (delay > 0) await sleep(delay);
  }
  return { status: run.journal.status, failure: run.journal.failure, outcomes };
}
