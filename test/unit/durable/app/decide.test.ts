import { describe, expect, it } from "vitest";
import { decide } from "../../../../src/durable/app/decide";
import { at, desire, given, step, succeed, target, tick, types } from "./given";

/** One deploy of `t` from start to success. */
const deployed = (key: string, t = target("h1", "c1")) => [
  desire(key, t),
  tick(),
  step(`d-${key}`, "update", "done"),
  succeed(`d-${key}`),
];

describe("AppDO decider", () => {
  it("a first desired state queues a deploy; the next tick starts it with release 1", () => {
    const { state, events } = given(desire("k1", target("h1", "c1")));
    expect(types(events)).toEqual(["desired.changed"]);
    expect(state.queued).toBe("d-k1");
    const started = decide(tick(5), state);
    expect(started).toMatchObject([
      {
        type: "deploy.started",
        key: "d-k1:started",
        data: { deployId: "d-k1", release: 1, configHash: "h1", sourceCommit: "c1" },
      },
    ]);
  });

  it("deploys when the config hash, source commit or secrets digest differs from the last successful deploy", () => {
    const base = given(...deployed("k1")).state;
    for (const changed of [target("h2", "c1"), target("h1", "c2"), target("h1", "c1", "s1")]) {
      const { state } = given(...deployed("k1"), desire("k2", changed));
      expect(state.queued).toBe("d-k2");
      expect(decide(tick(), state).map((e) => e.type)).toEqual(["deploy.started"]);
    }
    expect(base.deployed).toEqual(target("h1", "c1"));
  });

  it("an unchanged desired state appends nothing and deploys nothing", () => {
    const { state } = given(...deployed("k1"));
    expect(decide(desire("k2", target("h1", "c1")), state)).toEqual([]);
    expect(decide(tick(), state)).toEqual([]);
  });

  it("going back to the deployed target while idle records the change but queues nothing", () => {
    const { state } = given(...deployed("k1"), desire("k2", target("h2")), desire("k3", target("h1", "c1")));
    expect(state.queued).toBeNull();
    expect(state.deploys.find((d) => d.id === "d-k2")?.outcome).toBe("superseded");
    expect(decide(tick(), state)).toEqual([]);
  });

  it("runs one deploy at a time: a desired state mid-deploy waits until the running one ends", () => {
    const { state } = given(desire("k1", target("h1")), tick(), desire("k2", target("h2")));
    expect(state.running).toBe("d-k1");
    expect(state.queued).toBe("d-k2");
    expect(decide(tick(10), state)).toEqual([]);
    const after = given(desire("k1", target("h1")), tick(), desire("k2", target("h2")), succeed("d-k1"), tick(20));
    expect(types(after.events).slice(-2)).toEqual(["deploy.succeeded", "deploy.started"]);
    expect(after.state.running).toBe("d-k2");
    expect(after.state.deploys.find((d) => d.id === "d-k2")?.release).toBe(2);
  });

  it("several desired states waiting collapse into the newest; the others are superseded", () => {
    const { state, events } = given(
      desire("k1", target("h1")),
      tick(),
      desire("k2", target("h2"), 10),
      desire("k3", target("h3"), 20),
      desire("k4", target("h4"), 30),
    );
    expect(types(events)).toEqual([
      "desired.changed",
      "deploy.started",
      "desired.changed",
      "deploy.superseded",
      "desired.changed",
      "deploy.superseded",
      "desired.changed",
    ]);
    expect(state.queued).toBe("d-k4");
    expect(state.deploys.filter((d) => d.outcome === "superseded").map((d) => d.id)).toEqual(["d-k2", "d-k3"]);
    const next = given(
      desire("k1", target("h1")),
      tick(),
      desire("k2", target("h2")),
      desire("k3", target("h3")),
      succeed("d-k1"),
      tick(),
    );
    expect(next.events.at(-1)).toMatchObject({ type: "deploy.started", data: { configHash: "h3", release: 2 } });
  });

  it("a desired state equal to the running deploy drops what was queued", () => {
    const { state } = given(desire("k1", target("h1")), tick(), desire("k2", target("h2")), desire("k3", target("h1")));
    expect(state.queued).toBeNull();
    expect(state.desired?.configHash).toBe("h1");
  });

  it("force-sync redeploys even when nothing changed, with the next release number", () => {
    const { state } = given(...deployed("k1"));
    const requested = decide(
      { type: "force-sync", at: at(), key: "admin-1", deployId: "d-f", cause: "admin sync" },
      state,
    );
    expect(types(requested)).toEqual(["deploy.requested"]);
    const after = given(
      ...deployed("k1"),
      { type: "force-sync", at: at(), key: "admin-1", deployId: "d-f", cause: "admin sync" },
      tick(),
    );
    expect(after.events.at(-1)).toMatchObject({
      type: "deploy.started",
      data: { deployId: "d-f", release: 2, cause: "admin sync", configHash: "h1" },
    });
    // Only the admin's redeploy restarts every machine; the desired-state deploy before it did not.
    expect(after.state.deploys.map((d) => d.redeploy)).toEqual([false, true]);
  });

  it("force-sync is a no-op for an app with no desired state, or when the same deploy is already running", () => {
    expect(given({ type: "force-sync", at: at(), key: "a", deployId: "d-a", cause: "x" }).events).toEqual([]);
    const running = given(desire("k1", target("h1")), tick()).state;
    expect(decide({ type: "force-sync", at: at(), key: "a", deployId: "d-a", cause: "x" }, running)).toEqual([]);
  });

  it("a deploy stuck beyond its timeout fails with a reason naming the step", () => {
    const { state } = given(desire("k1", target("h1")), tick(0, 60_000), step("d-k1", "wait-healthy", "wait", 1_000));
    expect(decide(tick(59_999), state)).toEqual([]);
    const failed = decide(tick(60_000), state);
    expect(failed).toMatchObject([
      {
        type: "deploy.failed",
        data: { deployId: "d-k1", step: "wait-healthy", reason: "timed out after 60000 ms in step wait-healthy" },
      },
    ]);
  });

  it("a stalled step fails the deploy naming the step, and the next desired state can deploy", () => {
    const { state, events } = given(
      desire("k1", target("h1")),
      tick(),
      step("d-k1", "release-command", "stalled", 5, "exit code 1"),
    );
    expect(events.at(-1)).toMatchObject({
      type: "deploy.failed",
      data: { step: "release-command", reason: "exit code 1" },
    });
    expect(state.running).toBeNull();
    expect(state.deployed).toBeNull();
    const retry = given(
      desire("k1", target("h1")),
      tick(),
      step("d-k1", "x", "stalled"),
      desire("k2", target("h2")),
      tick(),
    );
    expect(retry.events.at(-1)?.type).toBe("deploy.started");
  });

  it("records a repeated step outcome once, and ignores commands for a deploy that is not running", () => {
    const { state } = given(desire("k1", target("h1")), tick(), step("d-k1", "wait", "wait", 1));
    expect(decide(step("d-k1", "wait", "wait", 2), state)).toEqual([]);
    expect(decide(step("d-k1", "wait", "done", 3), state)).toHaveLength(1);
    expect(decide(step("d-other", "x", "done"), state)).toEqual([]);
    expect(decide(succeed("d-other"), state)).toEqual([]);
  });

  it("exactly one deploy.succeeded per deploy: its key is derived from the deploy id", () => {
    const { state, events } = given(...deployed("k1"));
    expect(events.filter((e) => e.type === "deploy.succeeded")).toMatchObject([{ key: "d-k1:succeeded" }]);
    expect(decide(succeed("d-k1"), state)).toEqual([]);
  });

  it("release numbers are monotonic across failures and supersessions", () => {
    const { state } = given(
      desire("k1", target("h1")),
      tick(),
      step("d-k1", "x", "stalled"),
      desire("k2", target("h2")),
      tick(),
      succeed("d-k2"),
      desire("k3", target("h3")),
      desire("k4", target("h4")),
      tick(),
    );
    expect(state.deploys.map((d) => [d.id, d.release, d.outcome])).toEqual([
      ["d-k1", 1, "failed"],
      ["d-k2", 2, "succeeded"],
      ["d-k3", 0, "superseded"],
      ["d-k4", 3, "running"],
    ]);
  });

  it("destroy (prune) supersedes what is queued, waits for a running deploy, then records the outcome", () => {
    const destroy = { type: "destroy", at: at(), key: "prune-1", cause: "removed from config" } as const;
    const record = { type: "record-destroy", at: at(), destroyed: true, reason: "created by Tower" } as const;
    const { state, events } = given(desire("k1", target("h1")), tick(), desire("k2", target("h2")), destroy);
    expect(types(events).slice(-2)).toEqual(["deploy.superseded", "app.destroy.requested"]);
    expect(decide(tick(), state)).toEqual([]);
    expect(decide(record, state)).toEqual([]);
    const idle = given(desire("k1", target("h1")), tick(), succeed("d-k1"), destroy, record);
    expect(types(idle.events).slice(-2)).toEqual(["app.destroy.requested", "app.destroyed"]);
    expect(idle.state.deployed).toBeNull();
    expect(decide(desire("k9", target("h1")), idle.state)).toHaveLength(1);
  });
});
