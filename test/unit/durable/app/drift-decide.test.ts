import { describe, expect, it } from "vitest";
import type { AppCommand } from "../../../../src/durable/app/commands";
import { decide } from "../../../../src/durable/app/decide";
import { driftBase } from "../../../../src/durable/app/state";
import { at, desire, given, step, succeed, target, tick, types } from "./given";

const plan = (deployId: string, ms = 0): AppCommand => ({
  type: "record-plan",
  at: at(ms),
  deployId,
  image: "registry.fly.io/web@sha256:1",
  planSummary: { "machines.update": 1 },
});

/** One deploy of `t` from start to success, with its image recorded. */
const deployed = (key: string, t = target("h1", "c1")) => [
  desire(key, t),
  tick(),
  plan(`d-${key}`),
  step(`d-${key}`, "update", "done", 1),
  succeed(`d-${key}`, 2),
];

const drift = (version: number, key = "x1"): AppCommand => ({
  type: "detect-drift",
  at: at(10),
  key: `drift:${key}`,
  deployId: `d-drift-${key}`,
  version,
  cause: "drift",
  planSummary: { "machines.update": 2 },
});

describe("AppDO decider: drift", () => {
  it("drift on an idle, synced app queues a forced re-apply of the deployed target", () => {
    const { state } = given(...deployed("k1"));
    expect(driftBase(state)?.id).toBe("d-k1");
    const { state: after, events } = given(...deployed("k1"), drift(state.version));
    expect(types(events).slice(-1)).toEqual(["drift.detected"]);
    expect(events.at(-1)?.data).toEqual({
      deployId: "d-drift-x1",
      cause: "drift",
      appliedBy: "d-k1",
      planSummary: { "machines.update": 2 },
    });
    expect(after.queued).toBe("d-drift-x1");
    expect(after.deploys.at(-1)).toMatchObject({
      cause: "drift",
      force: true,
      redeploy: false,
      configHash: "h1",
      sourceCommit: "c1",
    });
    expect(decide(tick(20), after)).toMatchObject([
      { type: "deploy.started", data: { deployId: "d-drift-x1", release: 2, cause: "drift" } },
    ]);
  });

  it("a finding read against an older version is void: something was asked for meanwhile", () => {
    const { state } = given(...deployed("k1"));
    expect(decide(drift(state.version - 1), state)).toEqual([]);
  });

  it("no drift check while a deploy runs or waits, after a failed deploy, or before any deploy", () => {
    const running = given(...deployed("k1"), desire("k2", target("h2", "c1")), tick()).state;
    expect(driftBase(running)).toBeNull();
    expect(decide(drift(running.version), running)).toEqual([]);
    const queued = given(...deployed("k1"), desire("k2", target("h2", "c1"))).state;
    expect(decide(drift(queued.version), queued)).toEqual([]);
    const failed = given(...deployed("k1"), desire("k2", target("h2", "c1")), tick(), {
      type: "fail",
      at: at(5),
      deployId: "d-k2",
      step: "update",
      reason: "boom",
    }).state;
    expect(driftBase(failed)).toBeNull();
    expect(decide(drift(failed.version), failed)).toEqual([]);
    const fresh = given(desire("k1", target("h1"))).state;
    expect(decide(drift(fresh.version), fresh)).toEqual([]);
  });

  it("the same finding twice appends nothing the second time (the queued re-apply answers it)", () => {
    const { state } = given(...deployed("k1"), drift(5));
    expect(decide(drift(state.version, "x2"), state)).toEqual([]);
  });
});
