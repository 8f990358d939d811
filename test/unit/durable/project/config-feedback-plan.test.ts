import { describe, expect, it } from "vitest";
import { type ConfigFeedback, planConfigFeedback } from "../../../../src/durable/project/config-feedback-plan";
import { type DecidedEvent, event } from "../../../../src/durable/project/events";
import { hostRepo } from "../../../../src/notify/git-host";

const SHA = "a".repeat(40);
const feedback: ConfigFeedback = {
  repo: { url: "https://gitlab.com/acme/config", host: hostRepo({ host: "gitlab.com", path: "acme/config" }) },
  notify: [{ type: "webhook", url_env: "HOOK", events: ["config.invalid"] }],
  publicUrl: "https://tower.example",
};
const problem = { file: "apps/api/app.yaml", line: 3, col: 12, message: "expected a number" };
const evaluated = (errors: (typeof problem)[]): DecidedEvent =>
  event(
    { type: "config.evaluated", data: { commit: SHA, cause: "push", apps: [], kept: [], errors, warnings: 0 } },
    "2026-03-01T10:00:00.000Z",
    `config-evaluated:${SHA}`,
  );

describe("planConfigFeedback", () => {
  it("a clean evaluation posts tower/config success and notifies no one", () => {
    const entries = planConfigFeedback(evaluated([]), feedback);
    expect(entries.map((e) => e.delivery)).toEqual([
      expect.objectContaining({
        kind: "commit-status",
        context: "tower/config",
        state: "success",
        description: "Config valid: 0 apps",
        targetUrl: "https://tower.example/api/config",
      }),
    ]);
  });

  it("errors post failure naming the first place, and config.invalid carries every problem", () => {
    const entries = planConfigFeedback(evaluated([problem, { ...problem, line: 9 }]), feedback);
    expect(entries[0]!.delivery).toMatchObject({
      state: "failure",
      description: "apps/api/app.yaml:3:12: expected a number (and 1 more)",
    });
    expect(entries[1]!.delivery).toMatchObject({
      kind: "webhook",
      notification: {
        event: "config.invalid",
        problems: [problem, { ...problem, line: 9 }],
        summary: "config aaaaaaa is invalid: apps/api/app.yaml:3:12: expected a number (and 1 more)",
      },
    });
  });

  it("a fetch failure has no commit to report on: only the notification", () => {
    const failed = event(
      {
        type: "config.failed",
        data: {
          commit: null,
          cause: "tick",
          stage: "fetch",
          errors: [{ ...problem, file: "", line: 0, col: 0, message: "repo not found" }],
        },
      },
      "2026-03-01T10:00:00.000Z",
      "config-failed:tick",
    );
    expect(planConfigFeedback(failed, feedback).map((e) => e.delivery.kind)).toEqual(["webhook"]);
  });
});
