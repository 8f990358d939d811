import { FlyApiError } from "../../errors";
import { isTransientStatus, parseRetryAfter } from "../client/retry-policy";
import type { PlanStep } from "../plan/plan-types";
import type { StepContext } from "./step-context";
import { GateFailed, type StepOutcome, StepStalled, StepWaiting } from "./step-outcome";
import { runMachines } from "./steps/machines-step";
import { runReleaseCommand } from "./steps/release-command-step";
import {
  assignIp,
  createApp,
  createVolume,
  extendVolume,
  releaseIp,
  setSecrets,
  unsetSecrets,
} from "./steps/resource-steps";
import { switchTraffic } from "./steps/switch-traffic-step";

/** Runs one step once and classifies what happened. */
export async function runStep(ctx: StepContext, step: PlanStep): Promise<StepOutcome> {
  try {
    await dispatch(ctx, step);
    return { step: step.id, outcome: "done" };
  } catch (err) {
    if (err instanceof StepWaiting)
      return { step: step.id, outcome: "wait", afterMs: err.afterMs, reason: err.message };
    if (err instanceof GateFailed)
      return { step: step.id, outcome: "stalled", reason: `${describe(step)}: ${err.message}`, gate: err.failure };
    if (err instanceof StepStalled)
      return { step: step.id, outcome: "stalled", reason: `${describe(step)}: ${err.message}` };
    if (err instanceof FlyApiError && transient(err)) {
      const asked = parseRetryAfter(err.data.retryAfter as string | null, ctx.now());
      const afterMs = asked ? asked : Math.min(30_000, 1000 * 2 ** ctx.record.retries);
      return { step: step.id, outcome: "retry", afterMs, reason: `${describe(step)}: ${err.message}` };
    }
    const message = err instanceof Error ? err.message : String(err);
    return { step: step.id, outcome: "stalled", reason: `${describe(step)}: ${message}` };
  }
}

/** What the client retries, and 409 (a lease or a state change in flight): all pass with time. */
function transient(err: FlyApiError): boolean {
  const s = err.data.status as number;
  return s === 409 || isTransientStatus(s);
}

function dispatch(ctx: StepContext, step: PlanStep): Promise<void> {
  switch (step.kind) {
    case "create-app":
      return createApp(ctx, step);
    case "set-secrets":
      return setSecrets(ctx, step);
    case "unset-secrets":
      return unsetSecrets(ctx, step);
    case "create-volume":
      return createVolume(ctx, step);
    case "extend-volume":
      return extendVolume(ctx, step);
    case "assign-ip":
      return assignIp(ctx, step);
    case "release-ip":
      return releaseIp(ctx, step);
    case "release-command":
      return runReleaseCommand(ctx, step);
    case "machines":
      return runMachines(ctx, step);
    case "switch-traffic":
      return switchTraffic(ctx, step);
    default: {
      const never: never = step;
      throw new Error(`unknown step ${JSON.stringify(never)}`);
    }
  }
}

/** A step named for people: `step machines-2 (update web-iad-1, create web-ams-2)`. */
export function describe(step: PlanStep): string {
  const what = (() => {
    switch (step.kind) {
      case "machines":
        return step.changes.map((c) => `${c.op} ${c.name}`).join(", ");
      case "create-volume":
      case "extend-volume":
        return `${step.kind} ${step.name} in ${step.region}`;
      case "assign-ip":
        return `assign ${step.type} address`;
      case "release-ip":
        return `release ${step.ip}`;
      case "unset-secrets":
        return `unset ${step.names.join(", ")}`;
      default:
        return step.kind;
    }
  })();
  return `step ${step.id} (${what})`;
}
