/**
 * A preview's name comes from a template in the app's file, so routing checks it like an app name:
 * not an app of the config, not another pull request's preview, inside the `allow.apps` rules of
 * the app's projects (a nested project must not deploy into, or on close destroy, another's app).
 */
import { describe, expect, it } from "vitest";
import type { PullRequestReceived } from "../../../../src/durable/contract";
import { previewTick, routePull } from "../../../../src/durable/project/previews";
import { initialState, type KnownApp, type ProjectState } from "../../../../src/durable/project/state";
import { evaluation, gitApp, run, sha } from "./given";

const repo = "github.com/acme/pay";
const at = "2026-11-30T05:00:00.000Z";
const head = "a".repeat(40);

function app(name: string, previews?: KnownApp["previews"]): KnownApp {
  const source = { type: "git", url: `https://${repo}`, repo, ref: { branch: "main" }, path: "." } as const;
  return { name, org: "acme", configHash: "h", file: `${name}/app.yaml`, source, sourceCommit: head, previews };
}

function pull(number: number): PullRequestReceived {
  return {
    provider: "github",
    deliveryId: `d${number}`,
    repo,
    number,
    action: "open",
    fork: false,
    headHint: head,
    receivedAt: at,
  };
}

function state(...apps: KnownApp[]): ProjectState {
  return { ...initialState(), apps: Object.fromEntries(apps.map((a) => [a.name, a])) };
}

const lane = [{ at: "pay/project.yaml:3", apps: "payments-*" }];

describe("preview names stay in their lane", () => {
  it("a name outside allow.apps is refused, naming the rule; one inside is deployed", () => {
    const outside = app("payments-web", { forks: false, ttlHours: 24, name: "shop-<number>", allow: lane });
    const [ignored] = routePull(pull(3), head, state(outside), at);
    expect(ignored?.type).toBe("pull.ignored");
    expect(String((ignored?.data as { reason?: string }).reason)).toBe(
      'pull request #3 gets no preview: preview app shop-3 is outside what pay/project.yaml:3 allows: allow.apps "payments-*" (previews.name of payments-web)',
    );
    const inside = app("payments-web", { forks: false, ttlHours: 24, name: "<app>-pr-<number>", allow: lane });
    expect(routePull(pull(3), head, state(inside), at).map((e) => e.type)).toEqual(["pull.routed", "preview.desired"]);
  });

  it("a name that is another pull request's preview is refused, and a changed template never redeploys onto another app", () => {
    const a = app("payments-a", { forks: false, ttlHours: 24, name: "payments-pr-<number>" });
    const b = app("payments-b", { forks: false, ttlHours: 24, name: "payments-pr-<number>" });
    const live = {
      app: "payments-pr-3",
      of: "payments-a",
      repo,
      number: 3,
      ref: "refs/pull/3/head",
      head,
      ttlHours: 24,
      at,
      cause: "c",
    };
    const s = { ...state(a, b), previews: { "payments-pr-3": live } };
    const events = routePull(pull(3), "b".repeat(40), { ...s, apps: { [b.name]: b } }, at);
    expect(events.map((e) => e.type)).toEqual(["pull.ignored"]);
    expect(String((events[0]?.data as { reason?: string }).reason)).toContain(
      "is the preview of payments-a for pull request #3",
    );
    // payments-a's template now names a configured app: its preview's head moves, nothing deploys there.
    const renamed = app("payments-a", { forks: false, ttlHours: 24, name: "payments-<number>" });
    const taken = { ...s, apps: { [renamed.name]: renamed, "payments-3": app("payments-3") } };
    expect(previewTick(taken, { [repo]: { "refs/pull/3/head": "c".repeat(40) } }, "tick", at)).toEqual([]);
  });

  // Would fail on the old code: only the config's current apps were checked, so a preview could
  // deploy into (and on close destroy) an app that left the config without being pruned.
  it("a name of an app that left the config without being pruned is refused until the app comes back or is pruned", () => {
    const web = {
      ...gitApp("web", "h1", repo),
      sourceCommit: head,
      previews: { forks: false, ttlHours: 24, name: "legacy-<number>" },
    };
    const legacy = { ...gitApp("legacy-7", "h2", repo), sourceCommit: head };
    const routed = (s: ProjectState) =>
      run(
        [
          { type: "record-pull", pull: pull(7), at },
          { type: "route-pull", pull: pull(7), head, at },
        ],
        s,
      ).events;
    const left = run([evaluation(sha("1"), [web, legacy]), evaluation(sha("2"), [web])]).state;
    expect(left.retired).toEqual({ "legacy-7": `push:${sha("2")}` });
    const refused = routed(left).find((e) => e.type === "pull.ignored");
    expect(String((refused?.data as { reason?: string }).reason)).toContain(
      "its name legacy-7 (previews.name of web) is an app Tower deployed for the config, which left it and was not pruned",
    );
    // Pruned (destroyed), the name is free again.
    const pruning = { prune: true } as const;
    const pruned = run(
      [evaluation(sha("3"), [web, legacy]), evaluation(sha("4"), [web], pruning), evaluation(sha("5"), [web], pruning)],
      left,
    ).state;
    expect(pruned.retired).toEqual({});
    expect(routed(pruned).map((e) => e.type)).toContain("preview.desired");
  });
});
