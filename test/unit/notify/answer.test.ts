import { describe, expect, it } from "vitest";
import { judgeAnswer } from "../../../src/notify/answer";

const NOW = Date.parse("2026-03-01T10:00:00Z");
const answer = (status: number, headers: Record<string, string> = {}, body = "") => ({
  status,
  headers: new Headers(headers),
  body,
});

describe("judgeAnswer", () => {
  it("2xx is sent", () => {
    expect(judgeAnswer(answer(201), "x", NOW)).toEqual({ kind: "sent" });
  });

  it("500 and 502 are retried without a floor; Retry-After in seconds or as a date sets one", () => {
    expect(judgeAnswer(answer(500, {}, '{"message":"boom"}'), "status", NOW)).toEqual({
      kind: "retry",
      reason: "status: 500 boom",
    });
    expect(judgeAnswer(answer(503, { "retry-after": "7" }), "s", NOW)).toMatchObject({ kind: "retry", afterMs: 7000 });
    const date = new Date(NOW + 30_000).toUTCString();
    expect(judgeAnswer(answer(429, { "retry-after": date }), "s", NOW)).toMatchObject({
      kind: "retry",
      afterMs: 30_000,
    });
  });

  it("GitHub's primary limit waits until x-ratelimit-reset; a secondary limit at least a minute", () => {
    const reset = String((NOW + 120_000) / 1000);
    const primary = answer(
      403,
      { "x-ratelimit-remaining": "0", "x-ratelimit-reset": reset },
      '{"message":"API rate limit exceeded"}',
    );
    expect(judgeAnswer(primary, "s", NOW)).toMatchObject({ kind: "retry", afterMs: 120_000 });
    const secondary = answer(403, {}, '{"message":"You have exceeded a secondary rate limit. Please wait."}');
    expect(judgeAnswer(secondary, "s", NOW)).toMatchObject({ kind: "retry", afterMs: 60_000 });
  });

  it("a 403 without a limit is a refusal that names the scopes the token has and the call needs", () => {
    const refused = answer(
      403,
      { "x-oauth-scopes": "read:org", "x-accepted-oauth-scopes": "repo, repo:status" },
      '{"message":"Resource not accessible by personal access token"}',
    );
    expect(judgeAnswer(refused, "github status on github.com/o/r@abc1234", NOW)).toEqual({
      kind: "refused",
      status: 403,
      reason:
        'github status on github.com/o/r@abc1234: 403 Resource not accessible by personal access token (the token has scopes "read:org"; this call needs one of "repo, repo:status")',
    });
  });

  it("a host's long or multi-line message is cut to one short line", () => {
    const outcome = judgeAnswer(answer(404, {}, `<html>\n${"x".repeat(500)}</html>`), "s", NOW);
    expect(outcome.kind).toBe("refused");
    expect(outcome.kind === "refused" && outcome.reason.length).toBeLessThan(220);
    expect(outcome.kind === "refused" && outcome.reason).not.toContain("\n");
  });
});
