import { describe, expect, it } from "vitest";
import type { StoredEvent } from "../../../../src/durable/contract";
import { evolve } from "../../../../src/durable/project/evolve";
import { initialState } from "../../../../src/durable/project/state";
import { projectUpcaster } from "../../../../src/durable/project/upcasters";
import { fromStoredApp } from "../../../../src/durable/stored-resolved-app";

const at = "2026-11-01T00:00:00.000Z";
const source = { type: "image", image: "nginx:1" };

describe("ProjectDO events written before `hash` became `configHash`", () => {
  const evaluated: StoredEvent = {
    seq: 1,
    type: "config.evaluated",
    v: 1,
    at,
    key: "k1",
    data: {
      commit: "c1",
      cause: "tick:1",
      apps: [{ name: "web", org: "acme", hash: "sha256:aa", file: "web/app.yaml", source, sourceCommit: null }],
      kept: [],
      errors: [],
      warnings: 0,
    },
  };
  const desired: StoredEvent = {
    seq: 2,
    type: "app.desired",
    v: 1,
    at,
    key: "k2",
    data: { app: "web", hash: "sha256:aa", sourceCommit: null, cause: "tick:1", force: false },
  };

  it("read back with the config hash under its one name", () => {
    expect(projectUpcaster(evaluated)).toMatchObject({
      v: 2,
      data: { apps: [{ name: "web", configHash: "sha256:aa" }] },
    });
    expect((projectUpcaster(evaluated).data.apps as object[])[0]).not.toHaveProperty("hash");
    expect(projectUpcaster(desired)).toMatchObject({ v: 2, data: { configHash: "sha256:aa" } });
    expect(projectUpcaster(desired).data).not.toHaveProperty("hash");
  });

  it("fold into the state a current log would", () => {
    // The store hands evolve what the upcaster returns; the cast is that boundary.
    const events = [evaluated, desired].map(projectUpcaster) as unknown as Parameters<typeof evolve>[1][];
    const state = events.reduce(evolve, initialState());
    expect(state.apps.web?.configHash).toBe("sha256:aa");
  });

  it("a resolved app stored in a row then is read with its hash", () => {
    const old = { name: "web", org: "acme", hash: "sha256:bb" } as unknown as Parameters<typeof fromStoredApp>[0];
    expect(fromStoredApp(old)).toMatchObject({ name: "web", configHash: "sha256:bb" });
    expect(fromStoredApp(old)).not.toHaveProperty("hash");
  });
});
