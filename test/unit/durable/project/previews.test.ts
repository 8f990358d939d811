import { describe, expect, it } from "vitest";
import type { PullRequestReceived } from "../../../../src/durable/contract";
import type { ProjectCommand } from "../../../../src/durable/project/decide";
import { pullHead } from "../../../../src/durable/project/previews";
import { AT, evaluation, gitApp, run, sha } from "./given";

const REPO = "git.test/acme/api";
const previews = { forks: false, ttlHours: 168, name: "<app>-pr-<number>" };
const web = { ...gitApp("web", "h1", REPO), previews };
const later = (hours: number) => new Date(Date.parse(AT) + hours * 3_600_000).toISOString();

function pull(
  deliveryId: string,
  number: number,
  action: "open" | "close",
  fork = false,
  provider: PullRequestReceived["provider"] = "github",
): PullRequestReceived {
  return { provider, deliveryId, repo: REPO, number, action, fork, headHint: sha("f"), receivedAt: AT };
}
const route = (p: PullRequestReceived, head: string | null, at = AT): ProjectCommand[] => [
  { type: "record-pull", pull: p, at },
  { type: "route-pull", pull: p, head, at },
];

describe("preview decisions", () => {
  it("open deploys the listed head (not the payload's), synchronize redeploys, close destroys only the preview", () => {
    const opened = run([
      evaluation(sha("1"), [web, gitApp("other", "h2", REPO)]),
      ...route(pull("d1", 7, "open"), sha("a")),
    ]);
    const desired = opened.events.filter((e) => e.type === "preview.desired");
    expect(desired.map((e) => e.data)).toEqual([
      expect.objectContaining({ app: "web-pr-7", of: "web", number: 7, head: sha("a") }),
    ]);
    expect(opened.state.pulls).toEqual([]);
    const synced = run(route(pull("d2", 7, "open"), sha("b")), opened.state);
    expect(synced.events.map((e) => e.type)).toEqual(["pull.received", "pull.routed", "preview.desired"]);
    expect(synced.state.previews["web-pr-7"]?.head).toBe(sha("b"));
    const again = run(route(pull("d3", 7, "open"), sha("b")), synced.state);
    expect(again.events.map((e) => e.type)).toEqual(["pull.received", "pull.ignored"]);
    const closed = run(route(pull("d4", 7, "close"), null), synced.state);
    const gone = closed.events.filter((e) => e.type === "preview.closed").map((e) => e.data.app);
    expect(gone).toEqual(["web-pr-7"]);
    expect(closed.events.some((e) => e.type === "app.removed" || e.type === "app.desired")).toBe(false);
    expect(closed.state.previews).toEqual({});
  });

  it("ignores a fork's pull request with the reason, unless previews.forks is on", () => {
    const base = run([evaluation(sha("1"), [web])]).state;
    const fork = run(route(pull("d1", 3, "open", true), sha("a")), base);
    const ignored = fork.events.find((e) => e.type === "pull.ignored");
    expect(ignored?.data).toMatchObject({ number: 3, reason: expect.stringContaining("fork") });
    expect(fork.state.previews).toEqual({});
    const trusting = run([evaluation(sha("1"), [{ ...web, previews: { ...previews, forks: true } }])]).state;
    const allowed = run(route(pull("d1", 3, "open", true), sha("a")), trusting);
    expect(allowed.events.some((e) => e.type === "preview.desired")).toBe(true);
  });

  // Issue 13 §6: each preview is a Fly app, and anyone who can open a pull request makes one.
  // Would fail on the old code: every pull request got a preview.
  it("opens at most previews.max live previews per app; updates of live ones go on, and a close frees a slot", () => {
    const capped = { ...web, previews: { ...previews, max: 2 } };
    let state = run([evaluation(sha("1"), [capped])]).state;
    for (const n of [1, 2]) state = run(route(pull(`o${n}`, n, "open"), sha(`${n}`)), state).state;
    const third = run(route(pull("o3", 3, "open"), sha("3")), state);
    expect(third.events[1]?.data).toMatchObject({
      reason: "pull request #3 gets no preview: web has 2 live (previews.max); one opens when another closes",
    });
    expect(Object.keys(third.state.previews).sort()).toEqual(["web-pr-1", "web-pr-2"]);
    const updated = run(route(pull("u2", 2, "open"), sha("b")), third.state);
    expect(updated.state.previews["web-pr-2"]?.head).toBe(sha("b"));
    const closed = run(route(pull("c1", 1, "close"), null), updated.state).state;
    const reopened = run(route(pull("o3b", 3, "open"), sha("3")), closed);
    expect(Object.keys(reopened.state.previews).sort()).toEqual(["web-pr-2", "web-pr-3"]);
    // Events from before previews.max existed: the default, 20.
    let old = run([evaluation(sha("1"), [web])]).state;
    for (let n = 1; n <= 21; n++) old = run(route(pull(`d${n}`, n, "open"), sha("a")), old).state;
    expect(Object.keys(old.previews)).toHaveLength(20);
  });

  it("ignores pull requests of repos with no previewing app, and heads Tower could not find", () => {
    const base = run([evaluation(sha("1"), [gitApp("plain", "h1", REPO)])]).state;
    const none = run(route(pull("d1", 1, "open"), sha("a")), base);
    expect(none.events[1]?.data).toMatchObject({ reason: `no app of ${REPO} enables previews` });
    const withWeb = run([evaluation(sha("1"), [web])]).state;
    const missing = run(route(pull("d2", 1, "open"), null), withWeb);
    expect(missing.events[1]?.data).toMatchObject({ reason: expect.stringContaining("refs/pull/1/head") });
  });

  it("cron: a moved head redeploys, an expired ttl or a dropped previews section destroys", () => {
    const opened = run([evaluation(sha("1"), [web]), ...route(pull("d1", 7, "open"), sha("a"))]).state;
    const refs = { [REPO]: { "refs/pull/7/head": sha("c") } };
    const moved = run([{ type: "check-previews", refs, cause: "tick:1", at: later(1) }], opened);
    expect(moved.events.map((e) => [e.type, "app" in e.data && e.data.app])).toEqual([["preview.desired", "web-pr-7"]]);
    const expired = run([{ type: "check-previews", refs, cause: "tick:2", at: later(200) }], moved.state);
    expect(expired.events.map((e) => e.type)).toEqual(["preview.closed"]);
    const dropped = run([evaluation(sha("2"), [gitApp("web", "h1", REPO)])], opened).state;
    const off = run([{ type: "check-previews", refs: {}, cause: "tick:3", at: later(1) }], dropped);
    expect(off.events[0]?.data).toMatchObject({ reason: "web no longer enables previews" });
  });

  it("GitLab merge requests follow refs/merge-requests/<iid>/head, also when cron catches up", () => {
    const opened = run([evaluation(sha("1"), [web]), ...route(pull("m1", 4, "open", false, "gitlab"), sha("a"))]);
    const desired = opened.events.find((e) => e.type === "preview.desired");
    expect(desired?.data).toMatchObject({ app: "web-pr-4", ref: "refs/merge-requests/4/head", head: sha("a") });
    // The GitHub-style ref of the same number is not what this preview follows.
    const github = { [REPO]: { "refs/pull/4/head": sha("x") } };
    expect(run([{ type: "check-previews", refs: github, cause: "tick:1", at: later(1) }], opened.state).events).toEqual(
      [],
    );
    const gitlab = { [REPO]: { "refs/merge-requests/4/head": sha("c") } };
    const moved = run([{ type: "check-previews", refs: gitlab, cause: "tick:2", at: later(1) }], opened.state);
    expect(moved.events.map((e) => e.data)).toEqual([expect.objectContaining({ app: "web-pr-4", head: sha("c") })]);
    const missing = run(route(pull("m2", 5, "open", false, "gitlab"), null), opened.state);
    expect(missing.events[1]?.data).toMatchObject({ reason: expect.stringContaining("refs/merge-requests/5/head") });
  });

  it("a pull request is same-repo only while its head is the tip of one of the base repo's branches", () => {
    const ref = "refs/pull/4/head";
    const listed = { [ref]: sha("a"), "refs/heads/main": sha("1"), "refs/heads/feature": sha("a") };
    expect(pullHead(listed, ref, false)).toEqual({ head: sha("a"), fork: false });
    expect(pullHead({ ...listed, "refs/heads/feature": sha("b") }, ref, false)).toEqual({ head: sha("a"), fork: true });
    // The payload saying fork is believed (it only ever makes Tower more careful).
    expect(pullHead(listed, ref, true)).toEqual({ head: sha("a"), fork: true });
    expect(pullHead({ "refs/heads/main": sha("1") }, ref, false)).toEqual({ head: null, fork: false });
  });
});
