import { describe, expect, it } from "vitest";
import { decide } from "../../../../src/durable/app/decide";
import { evolve } from "../../../../src/durable/app/evolve";
import { ownershipOnDeploy, pruneVerdict } from "../../../../src/durable/app/ownership";
import { type AppState, initialState } from "../../../../src/durable/app/state";

const seen = { name: "web", file: "apps/web/app.yaml", exists: true, adopt: false, creating: false };
const at = "2026-01-01T00:00:00.000Z";

function recorded(state: AppState, how: "created" | "adopted"): AppState {
  const events = decide({ type: "record-ownership", at, deployId: "d1", how, org: "personal", reason: "r" }, state);
  return events.reduce((s, e) => evolve(s, e), state);
}

describe("ownershipOnDeploy (issue 13 §4)", () => {
  it("creates a missing app, and a crash after asking Fly resumes as created", () => {
    expect(ownershipOnDeploy(initialState(), { ...seen, exists: false })).toEqual({ create: true });
    expect(ownershipOnDeploy(initialState(), { ...seen, creating: true })).toMatchObject({ record: "created" });
  });

  it("refuses an existing app Tower did not create, naming the file and adopt: true", () => {
    const verdict = ownershipOnDeploy(initialState(), seen);
    expect(verdict).toEqual({ refuse: expect.stringContaining("add `adopt: true` to apps/web/app.yaml") });
  });

  it("adopts with adopt: true", () => {
    expect(ownershipOnDeploy(initialState(), { ...seen, adopt: true })).toMatchObject({ record: "adopted" });
  });

  it("migration: an app Tower deployed before creation records counts as adopted, not created", () => {
    const before = { ...initialState(), deployed: { configHash: "h", sourceCommit: null, secretsDigest: "d" } };
    // Snapshots from before the change have no ownership field at all.
    delete (before as Partial<AppState>).ownership;
    const verdict = ownershipOnDeploy(before, seen);
    expect(verdict).toMatchObject({ record: "adopted", reason: expect.stringMatching(/before creation records/) });
    expect(pruneVerdict(recorded(before, "adopted")).ours).toBe(false);
    expect(pruneVerdict(before).ours).toBe(false);
  });

  it("goes on once the log says", () => {
    expect(ownershipOnDeploy(recorded(initialState(), "created"), seen)).toEqual({ go: true });
  });
});

describe("pruneVerdict and the ownership events", () => {
  it("prunes only what the log says Tower created", () => {
    expect(pruneVerdict(initialState()).ours).toBe(false);
    expect(pruneVerdict(recorded(initialState(), "adopted")).ours).toBe(false);
    expect(pruneVerdict(recorded(initialState(), "created")).ours).toBe(true);
  });

  it("records created once; an adoption never turns into created by a later adopt", () => {
    const created = recorded(initialState(), "created");
    expect(
      decide({ type: "record-ownership", at, deployId: "d2", how: "created", org: "o", reason: "" }, created),
    ).toEqual([]);
    const adopted = recorded(initialState(), "adopted");
    expect(
      decide({ type: "record-ownership", at, deployId: "d2", how: "adopted", org: "o", reason: "" }, adopted),
    ).toEqual([]);
  });

  it("a destroyed app is nobody's", () => {
    const created = recorded(initialState(), "created");
    const destroyed = evolve(created, {
      type: "app.destroyed",
      data: { destroyed: true, reason: "x" },
      v: 1,
      at,
      key: "k",
    } as Parameters<typeof evolve>[1]);
    expect(destroyed.ownership).toBeNull();
  });
});
