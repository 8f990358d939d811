import { describe, expect, it } from "vitest";
import { pendingNotices } from "../../../../src/durable/project/outbox";
import { repoIndex } from "../../../../src/durable/project/repo-index";
import {
  configMoved,
  inTurn,
  reposToResolve,
  sourceVersion,
  tickPlan,
} from "../../../../src/durable/project/sync-planner";
import { CONFIG, evaluation, gitApp, run, sha } from "./given";

describe("repo index and tick plan", () => {
  const apps = [
    gitApp("a", "h", "git.test/acme/api"),
    gitApp("b", "h", "git.test/acme/api"),
    gitApp("c", "h", "git.test/acme/api", "release"),
    gitApp("d", "h", "git.test/acme/web"),
  ].map((a) => ({ ...a, sourceCommit: sha("1") }));

  it("maps repo + ref to the apps following it", () => {
    const index = repoIndex(apps);
    expect(index.routes.get("git.test/acme/api#refs/heads/main")).toEqual(["a", "b"]);
    expect(index.repos.get("git.test/acme/api")?.refs).toEqual(["refs/heads/main", "refs/heads/release"]);
  });

  it("lists the config repo and each distinct app repo once", () => {
    const { state } = run([evaluation(sha("c"), apps)]);
    const plan = tickPlan(state, { ...CONFIG, url: "https://git.test/acme/config.git" });
    expect([...plan.keys()].sort()).toEqual(["git.test/acme/api", "git.test/acme/config", "git.test/acme/web"]);
    expect(plan.get(CONFIG.repo)?.refs).toEqual(["refs/heads/main"]);
  });

  it("sees the config ref move only when it points elsewhere than the last read", () => {
    const { state } = run([{ type: "record-fetch", commit: sha("c"), ref: CONFIG.ref, cause: "x", at: "t" }]);
    expect(configMoved(state, { [CONFIG.repo]: { [CONFIG.ref]: sha("c") } }, CONFIG)).toBeNull();
    expect(configMoved(state, { [CONFIG.repo]: { [CONFIG.ref]: sha("d") } }, CONFIG)).toBe(sha("d"));
    expect(configMoved(state, {}, CONFIG)).toBeNull();
  });
});

describe("source versions", () => {
  it("asks refs only for new apps, moved sources or unknown commits, not for repos already listed", () => {
    const { state } = run([evaluation(sha("c"), [{ ...gitApp("a", "h"), sourceCommit: sha("1") }])]);
    const same = [gitApp("a", "h")];
    expect([...reposToResolve(same, state, {}).keys()]).toEqual([]);
    const moved = [gitApp("a", "h", "git.test/acme/api", "release"), gitApp("n", "h", "git.test/acme/web")];
    expect([...reposToResolve(moved, state, {}).keys()]).toEqual(["git.test/acme/api", "git.test/acme/web"]);
    expect([...reposToResolve(moved, state, { "git.test/acme/web": {} }).keys()]).toEqual(["git.test/acme/api"]);
  });

  it("builds local sources from the config commit only when their folder changed", () => {
    const local = { name: "l", source: { type: "local" as const, path: "apps/l" } };
    const first = sourceVersion(local, undefined, {}, { commit: sha("c"), sourceTree: "t1" });
    expect(first).toEqual({ sourceCommit: sha("c"), sourceTree: "t1" });
    const before = { ...gitApp("l", "h"), ...first, source: local.source };
    expect(sourceVersion(local, before, {}, { commit: sha("d"), sourceTree: "t1" }).sourceCommit).toBe(sha("c"));
    expect(sourceVersion(local, before, {}, { commit: sha("d"), sourceTree: "t2" }).sourceCommit).toBe(sha("d"));
  });

  it("follows listed refs for git sources and pins commits", () => {
    const app = gitApp("a", "h");
    const refs = { "git.test/acme/api": { "refs/heads/main": sha("5") } };
    expect(sourceVersion(app, undefined, refs, { commit: sha("c") }).sourceCommit).toBe(sha("5"));
    const pinned = { ...app, source: { ...app.source, ref: { commit: sha("7") } } };
    expect(sourceVersion(pinned, undefined, {}, { commit: sha("c") }).sourceCommit).toBe(sha("7"));
  });
});

describe("outbox", () => {
  it("keeps the newest notice per app, and a force seen on the way", () => {
    const desired = (app: string, cause: string, force = false) => ({
      type: "app.desired" as const,
      key: `desired:${app}:${cause}`,
      data: { app, configHash: "h", sourceCommit: null, cause, force },
    });
    const notices = pendingNotices([
      desired("a", "sync:1", true),
      desired("a", "push:2"),
      desired("b", "push:2"),
      { type: "app.removed", key: "removed:b", data: { app: "b", prune: true, cause: "push:3" } },
      { type: "app.removed", key: "removed:c", data: { app: "c", prune: false, cause: "push:3" } },
    ]);
    expect(notices).toEqual([
      {
        kind: "desire",
        app: "a",
        configHash: "h",
        sourceCommit: null,
        cause: "push:2",
        key: "desired:a:push:2",
        force: true,
      },
      { kind: "destroy", app: "b", cause: "push:3" },
      { kind: "forget", app: "c" },
    ]);
  });
});

describe("inTurn", () => {
  it("takes the next keys after the last one served, wrapping, so every key gets its turn", () => {
    const keys = ["e", "a", "d", "b", "c"];
    expect(inTurn(keys, null, 2)).toEqual(["a", "b"]);
    expect(inTurn(keys, "b", 2)).toEqual(["c", "d"]);
    expect(inTurn(keys, "d", 2)).toEqual(["e", "a"]);
    // The last one served may be gone since: the next in order goes on.
    expect(inTurn(keys, "bb", 2)).toEqual(["c", "d"]);
    expect(inTurn(keys, "z", 2)).toEqual(["a", "b"]);
    expect(inTurn(keys, "c", 10)).toEqual(["d", "e", "a", "b", "c"]);
    expect(inTurn(keys, null, 0)).toEqual([]);
  });
});
