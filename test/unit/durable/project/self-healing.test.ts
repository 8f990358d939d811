import { describe, expect, it } from "vitest";
import { selfHealing } from "../../../../src/durable/project/sync-planner";
import { evaluation, gitApp, run, sha } from "./given";

describe("self-healing apps", () => {
  it("are the apps the last evaluation marked with selfHeal, sorted; toggling it tells no app", () => {
    const on = { ...gitApp("b", "h1"), selfHeal: true };
    const { state } = run([evaluation(sha("1"), [gitApp("a", "h1"), on, { ...gitApp("c", "h1"), selfHeal: true }])]);
    expect(selfHealing(state)).toEqual(["b", "c"]);
    const { state: off, events } = run([evaluation(sha("2"), [gitApp("a", "h1"), gitApp("b", "h1")])], state);
    expect(selfHealing(off)).toEqual([]);
    expect(events.map((e) => e.type)).toEqual(["config.evaluated", "app.removed"]);
  });
});
