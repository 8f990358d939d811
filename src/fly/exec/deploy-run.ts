import type { DesiredApp } from "../../config/desired-app";
import type { FlyClient } from "../client/fly-client";
import type { Plan } from "../plan/plan-types";
import type { DeployJournal } from "./journal";
import { runStep } from "./run-step";
import type { StepContext } from "./step-context";
import type { StepOutcome } from "./step-outcome";
import { abandon } from "./steps/machines-step";

export interface DeployRunOptions {
  client: FlyClient;
  plan: Plan;
  /** The same desired state the plan was made from: secret values come from here, never the plan. */
  desired: DesiredApp;
  /** From `newJournal(runId, release)`, or as persisted after the last `advance`. */
  journal: DeployJournal;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Lease ttl in seconds (Fly's leases are refreshed before they lapse). */
  leaseTtlS?: number;
  /** How often to look again while waiting for checks (ms). */
  pollMs?: number;
  /** Transient failures of one step in a row before it stalls. */
  maxRetries?: number;
  /**
   * How long a machine without checks is watched for a crash loop (ms). Default 10 s, flyctl's
   * window (internal/machine/leasable_machine.go WaitForSmokeChecksToPass: 10*time.Second).
   * Tests shorten it (SMOKE_WINDOW_MS in workerd, test/unit/fly/exec/sim-harness.ts in Node).
   */
  smokeMs?: number;
  /**
   * Blue-green: how long cordoned blue machines drain before they stop (ms). Default 10 s, flyctl's
   * (internal/command/deploy/strategy_bluegreen.go waitBeforeStop); tests shorten it likewise.
   */
  drainMs?: number;
}

export interface DeployRun {
  /** Plain JSON: persist it after each `advance`. */
  readonly journal: DeployJournal;
  /** Performs the next steps until one has to wait, the deploy ends, or `deadline` (epoch ms) nears. */
  advance(budget: { deadline: number }): Promise<StepOutcome[]>;
}

/**
 * A resumable, bounded deploy: each `advance` does a slice of the plan and records it in the
 * journal. Built again from a persisted journal (after an eviction), it carries on where that
 * journal says; steps look at Fly before acting, so lost journal writes cause no duplicates.
 */
export function createDeployRun(o: DeployRunOptions): DeployRun {
  const j = o.journal;
  const now = o.now ?? Date.now;
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  return {
    journal: j,
    async advance(budget) {
      const out: StepOutcome[] = [];
      if (o.plan.refused && j.status === "running") {
        j.status = "failed";
        j.failure = { step: "plan", reason: o.plan.refused };
        return [{ step: "plan", outcome: "stalled", reason: o.plan.refused }];
      }
      for (const step of o.plan.steps) {
        if (j.status !== "running") return out;
        const record = (j.steps[step.id] ??= { status: "running", startedAt: now(), retries: 0 });
        if (record.status === "done") continue;
        if (budget.deadline - now() < 1000) {
          out.push({ step: step.id, outcome: "wait", afterMs: 0, reason: "slice budget spent" });
          return out;
        }
        const ctx: StepContext = {
          client: o.client,
          app: o.plan.app,
          plan: o.plan,
          desired: o.desired,
          journal: j,
          record,
          now,
          sleep,
          deadline: budget.deadline,
          leaseTtlS: o.leaseTtlS ?? 30,
          pollMs: o.pollMs ?? 500,
          smokeMs: o.smokeMs ?? 10_000,
          drainMs: o.drainMs ?? 10_000,
        };
        let outcome = await runStep(ctx, step);
        if (outcome.outcome === "retry" && ++record.retries > (o.maxRetries ?? 4))
          outcome = {
            step: step.id,
            outcome: "stalled",
            reason: `${outcome.reason} (gave up after ${record.retries} attempts)`,
          };
        out.push(outcome);
        if (outcome.outcome === "done") {
          Object.assign(record, { status: "done", finishedAt: now(), retries: 0 });
          continue;
        }
        if (outcome.outcome === "stalled") {
          j.status = "failed";
          j.failure = { step: step.id, reason: outcome.reason, ...(outcome.gate ? { gate: outcome.gate } : {}) };
          await abandon(ctx, step.kind === "machines" ? step : undefined);
        }
        return out;
      }
      if (j.status === "running") j.status = "succeeded";
      return out;
    },
  };
}
