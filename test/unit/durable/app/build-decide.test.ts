/** Decider rules for builds: record once, skip a built key, a failed build fails the deploy. */
import { describe, expect, it } from "vitest";
import type { AppCommand } from "../../../../src/durable/app/commands";
import { decide } from "../../../../src/durable/app/decide";
import { builtImage } from "../../../../src/durable/app/state";
import { at, desire, given, succeed, target, tick, types } from "./given";

const start = (deployId: string, buildKey: string, ms = 0): AppCommand => ({
  type: "record-build-start",
  at: at(ms),
  deployId,
  buildKey,
  machineId: `m-${deployId}`,
  builderApp: "tower-acme-builder",
  image: `registry.fly.io/web:deployment-${deployId}`,
});
const finish = (deployId: string, ms = 0): AppCommand => ({
  type: "record-build-finish",
  at: at(ms),
  deployId,
  exitCode: 0,
  digest: `sha256:${"a".repeat(64)}`,
  image: `registry.fly.io/web@sha256:${"a".repeat(64)}`,
});

describe("AppDO decider: builds", () => {
  it("records a build's start once and its finish with the duration; the key's image is then known", () => {
    const { state, events } = given(
      desire("k1", target("h1", "c1")),
      tick(),
      start("d-k1", "key1"),
      start("d-k1", "key1"),
      finish("d-k1", 90_000),
    );
    expect(types(events)).toEqual(["desired.changed", "deploy.started", "build.started", "build.finished"]);
    expect(events[3]?.data).toMatchObject({ buildKey: "key1", durationMs: 90_000, exitCode: 0 });
    expect(builtImage(state, "key1")).toBe(`registry.fly.io/web@sha256:${"a".repeat(64)}`);
    expect(state.deploys[0]?.build).toMatchObject({ outcome: "finished", machineId: "m-d-k1" });
  });

  it("skips the build of a key already built: a config-only change records no build.started", () => {
    const { state } = given(
      desire("k1", target("h1", "c1")),
      tick(),
      start("d-k1", "key1"),
      finish("d-k1"),
      succeed("d-k1"),
      desire("k2", target("h2", "c1")),
      tick(),
    );
    expect(state.running).toBe("d-k2");
    expect(decide(start("d-k2", "key1"), state)).toEqual([]);
    expect(types(decide(start("d-k2", "key2"), state))).toEqual(["build.started"]);
  });

  it("a failed build fails its deploy, once; the deployed target stays", () => {
    const fail: AppCommand = {
      type: "record-build-fail",
      at: at(5),
      deployId: "d-k1",
      buildKey: "key1",
      reason: "no Dockerfile at web/Dockerfile",
    };
    const { state, events } = given(desire("k1", target("h1", "c1")), tick(), start("d-k1", "key1"), fail, fail);
    expect(types(events).slice(-2)).toEqual(["build.failed", "deploy.failed"]);
    expect(events.at(-1)?.data).toMatchObject({ step: "build", reason: "no Dockerfile at web/Dockerfile" });
    expect(state.deploys[0]).toMatchObject({ outcome: "failed", build: { outcome: "failed" } });
    expect(state.deployed).toBeNull();
    expect(builtImage(state, "key1")).toBeNull();
  });

  it("ignores build commands for a deploy that is not running", () => {
    const { state } = given(desire("k1", target("h1", "c1")));
    expect(decide(start("d-k1", "key1"), state)).toEqual([]);
    expect(decide(finish("d-k1"), state)).toEqual([]);
  });
});
