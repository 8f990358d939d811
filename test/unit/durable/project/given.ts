/** Given/when/then helpers for the ProjectDO deciders: a state folded from decided events. */
import type { ResolvedApp } from "../../../../src/config/resolved-app";
import type { PushReceived } from "../../../../src/durable/contract";
import { decide, type ProjectCommand } from "../../../../src/durable/project/decide";
import type { AppEntry, DecidedEvent } from "../../../../src/durable/project/events";
import { evolve } from "../../../../src/durable/project/evolve";
import { initialState, type ProjectState } from "../../../../src/durable/project/state";

export const AT = "2026-01-01T00:00:00.000Z";
export const CONFIG = { repo: "git.test/acme/config", ref: "refs/heads/main" };

export function fold(events: DecidedEvent[], state = initialState()): ProjectState {
  return events.reduce((s, e) => evolve(s, { ...e, seq: s.version + 1 }), state);
}

/** Runs commands in order, folding each one's events: the state a real log would give. */
export function run(commands: ProjectCommand[], state = initialState()) {
  const all: DecidedEvent[] = [];
  for (const command of commands) {
    const events = decide(command, state);
    state = fold(events, state);
    all.push(...events);
  }
  return { state, events: all };
}

export function gitApp(name: string, hash: string, repo = "git.test/acme/api", branch = "main"): AppEntry {
  const source: ResolvedApp["source"] = { type: "git", url: `https://${repo}.git`, repo, ref: { branch }, path: "." };
  return { name, org: "acme", configHash: hash, file: `apps/${name}/app.yaml`, source, sourceCommit: null };
}

export function evaluation(
  commit: string,
  apps: AppEntry[],
  extra: Partial<ProjectCommand & { type: "record-evaluation" }> = {},
): ProjectCommand {
  return {
    type: "record-evaluation",
    commit,
    cause: `push:${commit}`,
    force: false,
    prune: false,
    apps,
    errors: [],
    warnings: 0,
    at: AT,
    ...extra,
  } as ProjectCommand;
}

export function push(deliveryId: string, repo: string, ref: string, after: string, deleted = false): PushReceived {
  return { provider: "github", deliveryId, repo, ref, before: "0".repeat(40), after, deleted, receivedAt: AT };
}

export const sha = (c: string) => c.repeat(40).slice(0, 40);
