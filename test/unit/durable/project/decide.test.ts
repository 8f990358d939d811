import { describe, expect, it } from "vitest";
import { decide } from "../../../../src/durable/project/decide";
import { AT, CONFIG, evaluation, gitApp, push, run, sha } from "./given";

const five = ["a", "b", "c", "d", "e"].map((n) => ({ ...gitApp(n, `h-${n}`), sourceCommit: sha("1") }));
const types = (events: { type: string }[]) => events.map((e) => e.type);
const told = (events: { type: string; data: object }[]) =>
  events.filter((e) => e.type === "app.desired").map((e) => (e.data as { app: string }).app);

describe("ProjectDO decide: config evaluation", () => {
  it("tells every app of a first evaluation", () => {
    const { events } = run([evaluation(sha("c"), five)]);
    expect(types(events)).toEqual(["config.evaluated", ...five.map(() => "app.desired")]);
    expect(told(events)).toEqual(["a", "b", "c", "d", "e"]);
  });

  it("tells exactly the app whose hash changed, and a new app", () => {
    const { state } = run([evaluation(sha("c"), five)]);
    const next = five.map((a) => (a.name === "c" ? { ...a, configHash: "h-c2" } : a));
    const events = decide(
      evaluation(
        sha("d"),
        [...next, gitApp("f", "h-f")].map((a) => ({ ...a, sourceCommit: sha("1") })),
      ),
      state,
    );
    expect(told(events)).toEqual(["c", "f"]);
    expect(events.find((e) => e.type === "app.desired")).toMatchObject({
      key: `desired:c:push:${sha("d")}`,
      data: { app: "c", configHash: "h-c2", sourceCommit: sha("1"), force: false },
    });
  });

  it("tells nothing when nothing changed, everything when forced", () => {
    const { state } = run([evaluation(sha("c"), five)]);
    expect(told(decide(evaluation(sha("d"), five), state))).toEqual([]);
    expect(told(decide(evaluation(sha("d"), five, { force: true }), state))).toEqual(["a", "b", "c", "d", "e"]);
  });

  it("keeps an app whose own file is broken at its last good config, and still tells the others", () => {
    const { state } = run([evaluation(sha("c"), five)]);
    const broken = { file: "apps/b/app.yaml", line: 3, col: 7, message: "expected a number" };
    const changed = five.filter((a) => a.name !== "b").map((a) => (a.name === "d" ? { ...a, configHash: "h-d2" } : a));
    const events = decide(evaluation(sha("d"), changed, { errors: [broken] }), state);
    expect(types(events)).toEqual(["config.evaluated", "app.desired"]);
    expect(events[0]).toMatchObject({ data: { kept: ["b"], errors: [broken] } });
    const after = run([evaluation(sha("d"), changed, { errors: [broken] })], state).state;
    expect(after.apps.b?.configHash).toBe("h-b");
    expect(after.config.lastEvaluation).toMatchObject({ ok: false, apps: 5 });
  });

  it("fails the whole evaluation on a project file error: nothing told, apps unchanged", () => {
    const { state } = run([evaluation(sha("c"), five)]);
    const error = { file: "project.yaml", line: 1, col: 1, message: "bad" };
    const { state: after, events } = run([evaluation(sha("d"), [], { errors: [error] })], state);
    expect(types(events)).toEqual(["config.failed"]);
    expect(after.apps).toEqual(state.apps);
    expect(after.config.errors).toEqual([error]);
  });

  it("records removed apps, destroying them only with prune", () => {
    const { state } = run([evaluation(sha("c"), five)]);
    const left = decide(evaluation(sha("d"), five.slice(0, 4)), state);
    expect(left.map((e) => [e.type, e.data])).toEqual([
      ["config.evaluated", expect.anything()],
      ["app.removed", { app: "e", prune: false, cause: `push:${sha("d")}` }],
    ]);
    const pruned = run([evaluation(sha("d"), five.slice(0, 4), { prune: true })], state);
    expect(pruned.events[1]).toMatchObject({ type: "app.prune-pending", data: { app: "e" } });
    const confirmed = decide(evaluation(sha("e"), five.slice(0, 4), { prune: true }), pruned.state);
    expect(confirmed[1]).toMatchObject({ type: "app.removed", data: { app: "e", prune: true } });
  });

  it("prune waits one full successful evaluation: a rename or an evaluation with errors deletes nothing", () => {
    const { state } = run([evaluation(sha("c"), five)]);
    const renamed = five.slice(0, 4);
    // First tick after the app vanished: nothing is destroyed.
    const first = run([evaluation(sha("d"), renamed, { prune: true })], state);
    expect(first.events.filter((e) => e.type === "app.removed")).toEqual([]);
    // An evaluation with an app error does not confirm it.
    const error = { file: "apps/a/app.yaml", line: 1, col: 1, message: "bad" };
    const shaky = decide(evaluation(sha("e"), renamed, { prune: true, errors: [error] }), first.state);
    expect(shaky.filter((e) => e.type === "app.removed")).toEqual([]);
    // Back in config before the second evaluation: never destroyed.
    const back = run(
      [evaluation(sha("f"), five, { prune: true }), evaluation(sha("g"), five, { prune: true })],
      first.state,
    );
    expect(back.events.filter((e) => e.type === "app.removed")).toEqual([]);
    expect(back.state.prunePending).toEqual({});
  });

  it("does not tell a git app whose ref could not be resolved", () => {
    expect(told(decide(evaluation(sha("c"), [gitApp("x", "h")]), run([]).state))).toEqual([]);
  });
});

describe("ProjectDO decide: pushes", () => {
  const base = () => run([evaluation(sha("c"), five)]).state;
  /** Tower's own listing of the pushed ref; by default it agrees with the payload. */
  const listing = (p: ReturnType<typeof push>, commit = p.after) => ({ [p.repo]: { [p.ref]: commit } });
  const route = (p: ReturnType<typeof push>, refs = listing(p)) =>
    decide({ type: "route-push", push: p, config: CONFIG, refs, at: AT }, base());

  it("records a push under its delivery id", () => {
    const p = push("d1", CONFIG.repo, CONFIG.ref, sha("9"));
    expect(decide({ type: "record-push", push: p, at: AT }, base())).toEqual([
      { type: "push.received", v: 1, at: AT, key: "push:d1", data: { push: p } },
    ]);
  });

  it("routes a config push to a config read", () => {
    const events = route(push("d1", CONFIG.repo, CONFIG.ref, sha("9")));
    expect(events).toMatchObject([{ type: "push.routed", data: { config: true, apps: [], commit: sha("9") } }]);
    const { state } = run(
      [{ type: "record-push", push: push("d1", CONFIG.repo, CONFIG.ref, sha("9")), at: AT }],
      base(),
    );
    expect(state.inbox).toHaveLength(1);
    const refs = listing(state.inbox[0]!);
    const routed = run([{ type: "route-push", push: state.inbox[0]!, config: CONFIG, refs, at: AT }], state).state;
    expect(routed.inbox).toEqual([]);
    expect(routed.wanted).toEqual({ cause: "push:d1", force: false });
  });

  it("tells the apps following the pushed branch, with the new commit", () => {
    const events = route(push("d2", "git.test/acme/api", "refs/heads/main", sha("2")));
    expect(types(events)).toEqual(["push.routed", ...five.map(() => "app.desired")]);
    expect(events[1]).toMatchObject({
      data: { app: "a", sourceCommit: sha("2"), configHash: "h-a", cause: "push:d2" },
    });
  });

  it("ignores other branches, deleted refs and unknown repos, with a reason", () => {
    const reason = (events: { data: object }[]) => (events[0]?.data as { reason: string }).reason;
    expect(reason(route(push("d3", "git.test/acme/api", "refs/heads/feature", sha("2"))))).toMatch(/not followed/);
    expect(reason(route(push("d4", "git.test/acme/api", "refs/heads/main", sha("0"), true)))).toMatch(/deleted/);
    expect(reason(route(push("d5", "git.test/other/repo", "refs/heads/main", sha("2"))))).toMatch(/not watched/);
    expect(reason(route(push("d6", CONFIG.repo, "refs/heads/dev", sha("2"))))).toMatch(/not followed/);
    expect(reason(route(push("d7", "git.test/acme/api", "refs/heads/main", sha("1"))))).toMatch(/already/);
  });
});

describe("ProjectDO decide: a push is a doorbell", () => {
  const apps = [{ ...gitApp("a", "h-a", "git.test/acme/api"), sourceCommit: sha("2") }];
  const base = () => run([evaluation(sha("c"), apps)]).state;
  const route = (p: ReturnType<typeof push>, refs: Record<string, Record<string, string>>) =>
    decide({ type: "route-push", push: p, config: CONFIG, refs, at: AT }, base());

  it("deploys what Tower listed for the ref, never the payload's after (a replayed old push rolls nothing back)", () => {
    const replay = push("replayed-under-new-id", "git.test/acme/api", "refs/heads/main", sha("1"));
    const events = route(replay, { "git.test/acme/api": { "refs/heads/main": sha("3") } });
    expect(types(events)).toEqual(["push.routed", "app.desired"]);
    expect(events[1]).toMatchObject({ data: { app: "a", sourceCommit: sha("3") } });
    expect(JSON.stringify(events)).not.toContain(sha("1"));
  });

  it("dedups on (repo, ref, resolved commit): a replay of the current state tells nobody", () => {
    const replay = push("d-new", "git.test/acme/api", "refs/heads/main", sha("9"));
    const events = route(replay, { "git.test/acme/api": { "refs/heads/main": sha("2") } });
    expect(events).toMatchObject([{ type: "push.ignored", data: { reason: expect.stringMatching(/there already/) } }]);
  });

  it("a config push whose ref still points at the evaluated commit re-reads nothing", () => {
    const events = route(push("d-cfg", CONFIG.repo, CONFIG.ref, sha("f")), {
      [CONFIG.repo]: { [CONFIG.ref]: sha("c") },
    });
    expect(types(events)).toEqual(["push.ignored"]);
    const moved = route(push("d-cfg2", CONFIG.repo, CONFIG.ref, sha("f")), {
      [CONFIG.repo]: { [CONFIG.ref]: sha("d") },
    });
    expect(moved).toMatchObject([{ type: "push.routed", data: { config: true, commit: sha("d") } }]);
  });

  it("a repo that could not be listed, or lacks the ref, deploys nothing", () => {
    const p = push("d-x", "git.test/acme/api", "refs/heads/main", sha("5"));
    expect(route(p, {})).toMatchObject([
      { type: "push.ignored", data: { reason: expect.stringMatching(/could not be listed/) } },
    ]);
    expect(route(p, { "git.test/acme/api": {} })).toMatchObject([{ type: "push.ignored" }]);
  });
});

describe("ProjectDO decide: cron refs", () => {
  it("tells only apps whose followed ref moved; nothing when nothing moved", () => {
    const apps = [
      { ...gitApp("a", "h-a", "git.test/acme/api"), sourceCommit: sha("1") },
      { ...gitApp("b", "h-b", "git.test/acme/web"), sourceCommit: sha("1") },
    ];
    const { state } = run([evaluation(sha("c"), apps)]);
    const same = {
      "git.test/acme/api": { "refs/heads/main": sha("1") },
      "git.test/acme/web": { "refs/heads/main": sha("1") },
    };
    expect(decide({ type: "record-refs", refs: same, cause: "tick:1", at: AT }, state)).toEqual([]);
    const moved = { ...same, "git.test/acme/web": { "refs/heads/main": sha("2") } };
    expect(told(decide({ type: "record-refs", refs: moved, cause: "tick:2", at: AT }, state))).toEqual(["b"]);
    // A ref that vanished deploys nothing.
    expect(decide({ type: "record-refs", refs: { "git.test/acme/web": {} }, cause: "tick:3", at: AT }, state)).toEqual(
      [],
    );
  });
});
