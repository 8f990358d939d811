/** The decider's restore, rollback and pin rules, given/when/then with no I/O. */
import { describe, expect, it } from "vitest";
import type { AppCommand } from "../../../../src/durable/app/commands";
import { appStatus, toSummary } from "../../../../src/durable/app/projections";
import { at, desire, given, step, succeed, target, tick, types } from "./given";

const planned = (deployId: string, image: string, ms = 0): AppCommand => ({
  type: "record-plan",
  at: at(ms),
  deployId,
  image,
  planSummary: { update: 4 },
});

const gateStall = (deployId: string, kept: string[], enabled = true, ms = 0): AppCommand => ({
  type: "record-step",
  at: at(ms),
  deployId,
  step: {
    name: "machines-1",
    outcome: "stalled",
    startedAt: at(ms),
    finishedAt: at(ms),
    message: "check alive is critical",
    gate: { gate: "health", machine: "m1", check: "alive", output: "503" },
  },
  restore: { enabled, deployId: `restore-of-${deployId}`, kept },
});

/** v1 deployed (image good@sha), then v2 (image bad) fails its health gate. */
const history = [
  desire("k1", target("h1", "c1")),
  tick(1),
  planned("d-k1", "reg/app@sha256:good", 2),
  succeed("d-k1", 3),
  desire("k2", target("h2", "c2"), 10),
  tick(11),
  planned("d-k2", "reg/app:bad", 12),
];

describe("restore after a failed gate", () => {
  it("records the gate and what changed, then queues a restore of the last good release with cause restore:<id>", () => {
    const { state, events } = given(...history, gateStall("d-k2", ["d-k1"], true, 20));
    expect(types(events).slice(-2)).toEqual(["deploy.failed", "restore.requested"]);
    expect(events.at(-2)?.data).toMatchObject({
      deployId: "d-k2",
      gate: { gate: "health", machine: "m1", check: "alive", output: "503" },
      changed: {
        image: { from: "reg/app@sha256:good", to: "reg/app:bad" },
        configHash: { from: "h1", to: "h2" },
        sourceCommit: { from: "c1", to: "c2" },
      },
    });
    expect(events.at(-1)?.data).toEqual({
      deployId: "restore-of-d-k2",
      failed: "d-k2",
      from: "d-k1",
      release: 1,
      cause: "restore:d-k2",
    });
    const restore = state.deploys.find((d) => d.id === "restore-of-d-k2");
    expect(restore).toMatchObject({
      configHash: "h1",
      sourceCommit: "c1",
      from: { deployId: "d-k1", image: "reg/app@sha256:good" },
    });
    expect(appStatus(state)).toBe("degraded");
  });

  it("after the restore succeeds the app is failed, naming the reason, and the same commit is not retried", () => {
    const restored = given(...history, gateStall("d-k2", ["d-k1"], true, 20), tick(21), succeed("restore-of-d-k2", 30));
    const summary = toSummary(restored.state);
    expect(summary).toMatchObject({
      status: "failed",
      deployed: { configHash: "h1", sourceCommit: "c1" },
      failure: {
        deployId: "d-k2",
        gate: { check: "alive" },
        restore: { deployId: "restore-of-d-k2", outcome: "succeeded" },
      },
    });
    // The cron's next look carries the same broken commit: nothing is queued.
    const again = given(
      ...history,
      gateStall("d-k2", ["d-k1"], true, 20),
      tick(21),
      succeed("restore-of-d-k2", 30),
      desire("k3", target("h2", "c2"), 40),
    );
    expect(again.state.queued).toBeNull();
    // A new commit tries again.
    const next = given(
      ...history,
      gateStall("d-k2", ["d-k1"]),
      tick(21),
      succeed("restore-of-d-k2", 30),
      desire("k4", target("h3", "c3"), 40),
    );
    expect(next.state.queued).toBe("d-k4");
  });

  it("does not restore when the app opted out, when the release is not kept, or after a failed restore", () => {
    expect(types(given(...history, gateStall("d-k2", ["d-k1"], false)).events).at(-1)).toBe("deploy.failed");
    expect(types(given(...history, gateStall("d-k2", [])).events).at(-1)).toBe("deploy.failed");
    const loop = given(
      ...history,
      gateStall("d-k2", ["d-k1"]),
      tick(21),
      gateStall("restore-of-d-k2", ["d-k1"], true, 25),
    );
    expect(types(loop.events).at(-1)).toBe("deploy.failed");
    expect(loop.state.queued).toBeNull();
    expect(appStatus(loop.state)).toBe("failed");
  });

  it("a plain failure (not a gate) is not restored", () => {
    const { events } = given(...history, step("d-k2", "execute", "stalled", 20, "Fly said 500"));
    expect(types(events).at(-1)).toBe("deploy.failed");
  });
});

describe("rollback and pin", () => {
  const rollback = (from: { deploy: string } | { release: number }, kept: string[], ms = 50): AppCommand => ({
    type: "rollback",
    at: at(ms),
    key: `rb@${ms}`,
    deployId: `rb-${ms}`,
    from,
    kept,
  });
  const v2ok = [...history.slice(0, -1), planned("d-k2", "reg/app@sha256:two", 12), succeed("d-k2", 13)];

  it("redeploys the named release exactly and pins the app; syncs of the same commit leave it, a new commit unpins", () => {
    const rolled = given(...v2ok, rollback({ release: 1 }, ["d-k1", "d-k2"]));
    expect(types(rolled.events).at(-1)).toBe("rollback.requested");
    expect(rolled.state.pin).toMatchObject({
      deployId: "d-k1",
      release: 1,
      by: "rb-50",
      wanted: { configHash: "h2", sourceCommit: "c2" },
    });
    expect(rolled.state.deploys.at(-1)).toMatchObject({
      cause: "rollback:d-k1",
      configHash: "h1",
      from: { image: "reg/app@sha256:good" },
    });
    const done = [...v2ok, rollback({ deploy: "d-k1" }, ["d-k1"]), tick(51), succeed("rb-50", 60)];
    expect(appStatus(given(...done).state)).toBe("pinned");
    // An admin sync does not undo it; neither does the same commit with other secrets.
    const forced: AppCommand = { type: "force-sync", at: at(70), key: "f", deployId: "f1", cause: "admin" };
    expect(given(...done, forced).state.queued).toBeNull();
    expect(given(...done, desire("k5", target("h2", "c2", "s1"), 70)).state.queued).toBeNull();
    // A new commit ends the pin and deploys.
    const pushed = given(...done, desire("k6", target("h4", "c4"), 80));
    expect(types(pushed.events).slice(-2)).toEqual(["app.unpinned", "desired.changed"]);
    expect(pushed.state).toMatchObject({ pin: null, queued: "d-k6" });
  });

  it("unpin follows git again: the newest desired state deploys", () => {
    const done = [...v2ok, rollback({ release: 1 }, ["d-k1"]), tick(51), succeed("rb-50", 60)];
    const unpin: AppCommand = { type: "unpin", at: at(70), key: "u1", deployId: "u-1" };
    const { state, events } = given(...done, unpin);
    expect(events.at(-1)?.data).toEqual({ reason: "unpinned by an admin", deployId: "u-1" });
    expect(state).toMatchObject({ pin: null, queued: "u-1" });
    expect(state.deploys.at(-1)).toMatchObject({ configHash: "h2", sourceCommit: "c2" });
  });

  it("refuses a release that failed or is not kept", () => {
    const failed = given(...history, gateStall("d-k2", [], true, 20), rollback({ deploy: "d-k2" }, ["d-k1", "d-k2"]));
    expect(types(failed.events).at(-1)).toBe("deploy.failed");
    expect(given(...v2ok, rollback({ release: 1 }, ["d-k2"])).state.pin).toBeNull();
    expect(given(...v2ok, rollback({ release: 9 }, ["d-k1"])).state.pin).toBeNull();
  });
});
