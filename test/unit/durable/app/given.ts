/** Given/when/then for the AppDO decider: fold commands through decide + evolve, no I/O. */
import type { AppCommand } from "../../../../src/durable/app/commands";
import { decide } from "../../../../src/durable/app/decide";
import type { AppEvent, Target } from "../../../../src/durable/app/events";
import { evolve } from "../../../../src/durable/app/evolve";
import { type AppState, initialState } from "../../../../src/durable/app/state";

export const T0 = Date.parse("2026-03-01T10:00:00.000Z");
export const at = (ms = 0) => new Date(T0 + ms).toISOString();

export const target = (configHash: string, sourceCommit: string | null = null, secretsDigest = "s0"): Target => ({
  configHash,
  sourceCommit,
  secretsDigest,
});

export const desire = (key: string, t: Target, ms = 0, cause = "config push"): AppCommand => ({
  type: "desire",
  at: at(ms),
  key,
  deployId: `d-${key}`,
  app: "web",
  org: "acme",
  target: t,
  cause,
});

export const tick = (ms = 0, timeoutMs = 600_000): AppCommand => ({ type: "tick", at: at(ms), timeoutMs });

export const step = (
  deployId: string,
  name: string,
  outcome: "done" | "wait" | "retry" | "stalled",
  ms = 0,
  message?: string,
): AppCommand => ({
  type: "record-step",
  at: at(ms),
  deployId,
  step: { name, outcome, startedAt: at(ms), finishedAt: at(ms), ...(message ? { message } : {}) },
});

export const succeed = (deployId: string, ms = 0): AppCommand => ({ type: "succeed", at: at(ms), deployId });

/** Runs commands in order, returning the final state and every event decided. */
export function given(...commands: AppCommand[]): { state: AppState; events: AppEvent[] } {
  let state = initialState();
  const events: AppEvent[] = [];
  for (const command of commands) {
    for (const event of decide(command, state)) {
      events.push(event);
      state = evolve(state, event);
    }
  }
  return { state, events };
}

export const types = (events: AppEvent[]) => events.map((event) => event.type);
