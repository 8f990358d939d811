import { describe, expect, it } from "vitest";
import { exitCodeOf } from "../../../../src/fly/client/exit-code";

describe("exit codes read as fly-go's GetExitCode reads them", () => {
  it("an exit event without exit_code is a clean exit (omitempty)", () => {
    expect(exitCodeOf([{ type: "exit", request: { exit_event: { exited_at: "2026-01-01T00:00:00Z" } } }])).toBe(0);
  });
  it("takes the newest exit event, and the monitor event's code before the exit event's", () => {
    const events = [
      { type: "destroy" },
      { type: "exit", request: { MonitorEvent: { exit_event: { exit_code: 3 } }, exit_event: { exit_code: 1 } } },
      { type: "exit", request: { exit_event: { exit_code: 0 } } },
    ];
    expect(exitCodeOf(events)).toBe(3);
  });
  it("no exit event: unknown", () => {
    expect(exitCodeOf([{ type: "start" }])).toBeUndefined();
    expect(exitCodeOf([{ type: "exit" }])).toBeUndefined();
  });
});
