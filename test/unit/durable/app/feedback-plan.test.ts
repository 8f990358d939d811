import { describe, expect, it } from "vitest";
import type { AppEvent } from "../../../../src/durable/app/events";
import { type DeployFeedback, planFeedback, previewLink } from "../../../../src/durable/app/feedback-plan";
import { afterSend, MAX_ATTEMPTS } from "../../../../src/durable/feedback/retry";
import { hostRepo } from "../../../../src/notify/git-host";
import { desire, given, step, succeed, target, tick } from "./given";

const SHA = "c".repeat(40);
const feedback: DeployFeedback = {
  origin: { url: "https://github.com/acme/site", sha: SHA, host: hostRepo({ host: "github.com", path: "acme/site" }) },
  notify: [
    { type: "webhook", url_env: "HOOK", secret_env: "HOOK_KEY", events: ["deploy.failed", "deploy.succeeded"] },
    { type: "slack", url_env: "CHAT", events: ["deploy.failed"] },
  ],
  publicUrl: "https://tower.example/",
};

/** Plans feedback for every event of the commands, as the AppDO does after each append. */
function planned(...commands: Parameters<typeof given>) {
  return plannedWith(feedback, ...commands);
}

function plannedWith(settings: DeployFeedback, ...commands: Parameters<typeof given>) {
  const out = [];
  for (let n = 1; n <= commands.length; n++) {
    const before = given(...commands.slice(0, n - 1)).events.length;
    const { state, events } = given(...commands.slice(0, n));
    for (const event of events.slice(before) as AppEvent[]) out.push(...planFeedback(event, state, settings));
  }
  return out;
}

const deploy = (key: string) => [desire(key, target("h1", SHA)), tick(), step(`d-${key}`, "update", "done")];

describe("planFeedback", () => {
  it("a deploy that succeeds owes pending → success, a Deployment in_progress → success, and the hook", () => {
    const entries = planned(...deploy("k1"), succeed("d-k1"));
    expect(entries.map((e) => e.key)).toEqual([
      "fb:d-k1:status:pending:github.com/acme/site",
      "fb:d-k1:deployment:github.com/acme/site",
      "fb:d-k1:deployment-status:in_progress:github.com/acme/site",
      "fb:d-k1:status:success:github.com/acme/site",
      "fb:d-k1:deployment-status:success:github.com/acme/site",
      "fb:d-k1:deploy.succeeded:0:HOOK",
    ]);
    expect(entries[3]!.delivery).toMatchObject({
      kind: "commit-status",
      context: "tower/web",
      state: "success",
      description: "Release 1 of web is live",
      targetUrl: "https://tower.example/api/apps/web/deploys/d-k1",
    });
    expect(entries[4]!.delivery).toMatchObject({ state: "success", environmentUrl: "https://web.fly.dev" });
  });

  it("a live preview links its own URL (https://<preview>.fly.dev) in the commit status and the notification", () => {
    const preview = previewLink({ name: "web-pr-7", previewOf: { app: "web", number: 7 } });
    expect(preview).toEqual({ number: 7, url: "https://web-pr-7.fly.dev" });
    const entries = plannedWith({ ...feedback, preview }, ...deploy("k1"), succeed("d-k1"));
    const statuses = entries.filter((e) => e.delivery.kind === "commit-status").map((e) => e.delivery);
    expect(statuses[0]).toMatchObject({
      state: "pending",
      targetUrl: "https://tower.example/api/apps/web/deploys/d-k1",
    });
    expect(statuses[1]).toMatchObject({
      state: "success",
      description: "Preview of #7 is live at https://web-pr-7.fly.dev",
      targetUrl: "https://web-pr-7.fly.dev",
    });
    const hook = entries.find((e) => e.key.endsWith(":HOOK"))!.delivery as { body?: string; notification?: unknown };
    expect(JSON.stringify(hook)).toContain("preview of #7 deployed (ccccccc): https://web-pr-7.fly.dev");
    // An app that is no preview keeps linking its deploy.
    expect(previewLink({ name: "web" })).toBeNull();
  });

  it("the next success marks the Deployment it replaces inactive", () => {
    const entries = planned(...deploy("k1"), succeed("d-k1"), desire("k2", target("h2", SHA)), tick(), succeed("d-k2"));
    const inactive = entries.filter((e) => e.key.includes("inactive"));
    expect(inactive).toHaveLength(1);
    expect(inactive[0]!.delivery).toMatchObject({
      kind: "deployment-status",
      state: "inactive",
      deployment: "fb:d-k1:deployment:github.com/acme/site",
    });
  });

  it("a failed deploy owes failure with the step and reason, and both notify targets", () => {
    const entries = planned(...deploy("k1"), step("d-k1", "health", "stalled", 0, "check http failed 3 times"));
    const failure = entries.find((e) => e.key === "fb:d-k1:status:failure:github.com/acme/site");
    expect(failure?.delivery).toMatchObject({ description: "Release 1 failed at health: check http failed 3 times" });
    const hooks = entries.filter((e) => e.lane.startsWith("notify:")).map((e) => e.delivery);
    expect(hooks).toMatchObject([
      { kind: "webhook", secretEnv: "HOOK_KEY", notification: { event: "deploy.failed", failure: { step: "health" } } },
      { kind: "slack", urlEnv: "CHAT" },
    ]);
  });

  it("a deploy Tower could not start (missing secrets) is an error, not a failure", () => {
    const entries = planned(...deploy("k1"), step("d-k1", "resolve-secrets", "stalled", 0, "secrets not set: X"));
    expect(entries.some((e) => e.key === "fb:d-k1:status:error:github.com/acme/site")).toBe(true);
  });

  it("no host API known or no origin commit: only notifications", () => {
    const none = { ...feedback, origin: { ...feedback.origin!, host: null } };
    const { state, events } = given(...deploy("k1"), succeed("d-k1"));
    const keys = events.flatMap((e) => planFeedback(e, state, none)).map((e) => e.key);
    expect(keys).toEqual(["fb:d-k1:deploy.succeeded:0:HOOK"]);
  });
});

describe("afterSend", () => {
  const row = { lane: "github.com/acme/site", attempts: 0 };
  it("backs off 10 s, 30 s, 90 s…, never sooner than the host asked, and gives up after MAX_ATTEMPTS", () => {
    const now = 1_000_000;
    expect(afterSend(row, { kind: "retry", reason: "500" }, now)).toMatchObject({
      state: "waiting",
      attempts: 1,
      dueAt: now + 10_000,
    });
    expect(afterSend({ ...row, attempts: 2 }, { kind: "retry", reason: "500" }, now).dueAt).toBe(now + 90_000);
    expect(afterSend(row, { kind: "retry", reason: "429", afterMs: 60_000 }, now).dueAt).toBe(now + 60_000);
    const last = afterSend({ ...row, attempts: MAX_ATTEMPTS - 1 }, { kind: "retry", reason: "500" }, now);
    expect(last).toMatchObject({
      state: "dropped",
      report: { key: "feedback.undelivered:github.com/acme/site:gave-up" },
    });
  });

  it("a refusal is final and reported under one key per lane and status", () => {
    const a = afterSend(row, { kind: "refused", status: 403, reason: "no scope" }, 0);
    const b = afterSend({ ...row, attempts: 3 }, { kind: "refused", status: 403, reason: "no scope again" }, 0);
    expect(a.state).toBe("refused");
    expect(a.report?.key).toBe(b.report?.key);
  });
});
