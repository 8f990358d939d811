import { describe, expect, it } from "vitest";
import { towerCreated } from "../../../../src/durable/app/tower-created";
import type { FlyMachine } from "../../../../src/fly";

const machine = (id: string, metadata: Record<string, string>, state = "started") =>
  ({ id, state, config: { image: "x", metadata } }) as unknown as FlyMachine;

describe("towerCreated (prune only what Tower made)", () => {
  it("is ours when every live machine carries tower_managed", () => {
    expect(towerCreated([machine("a", { tower_managed: "true" }), machine("b", { tower_managed: "true" })]).ours).toBe(
      true,
    );
  });

  it("leaves alone an app with a machine someone else made", () => {
    const verdict = towerCreated([
      machine("a", { tower_managed: "true" }),
      machine("b", { fly_platform_version: "v2" }),
    ]);
    expect(verdict).toEqual({ ours: false, reason: "machine b was not made by Tower: left alone" });
  });

  it("leaves alone an app with no live machines (nothing proves Tower made it)", () => {
    expect(towerCreated([machine("a", { tower_managed: "true" }, "destroyed")]).ours).toBe(false);
    expect(towerCreated([]).ours).toBe(false);
  });
});
