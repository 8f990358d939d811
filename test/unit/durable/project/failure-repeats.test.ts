import { describe, expect, it } from "vitest";
import type { ProjectCommand } from "../../../../src/durable/project/decide";
import { retryDelay } from "../../../../src/durable/project/outbox";
import { AT, evaluation, run, sha } from "./given";

const failure = (cause: string, message: string, stage: "fetch" | "evaluate" = "fetch"): ProjectCommand => ({
  type: "record-failure",
  commit: null,
  stage,
  errors: [{ file: "", line: 0, col: 0, message }],
  cause,
  at: AT,
});

const fetched = (commit: string): ProjectCommand => ({
  type: "record-fetch",
  commit,
  ref: "refs/heads/main",
  cause: "t",
  at: AT,
});

describe("config failures that repeat", () => {
  it("the same failure tick after tick is logged once", () => {
    const { events } = run([
      failure("tick:1", "repo not found"),
      failure("tick:2", "repo not found"),
      failure("tick:3", "repo not found"),
    ]);
    expect(events.map((e) => e.type)).toEqual(["config.failed"]);
  });

  it("a different message or stage is logged; so is the same failure after a fetch or evaluation in between", () => {
    const { events } = run([
      failure("t1", "repo not found"),
      failure("t2", "connection refused"),
      failure("t3", "connection refused", "evaluate"),
      fetched(sha("1")),
      failure("t4", "connection refused", "evaluate"),
      evaluation(sha("1"), []),
      failure("t5", "connection refused", "evaluate"),
    ]);
    expect(events.filter((e) => e.type === "config.failed").map((e) => e.key)).toEqual([
      "config-failed:t1",
      "config-failed:t2",
      "config-failed:t3",
      "config-failed:t4",
      "config-failed:t5",
    ]);
  });
});

describe("outbox retry backoff", () => {
  it("doubles from 1 s and stops growing at 5 minutes", () => {
    expect([1, 2, 3, 4, 10, 30].map(retryDelay)).toEqual([1000, 2000, 4000, 8000, 300_000, 300_000]);
  });
});
