import { describe, expect, it } from "vitest";
import { evaluateTree, memoryFileTree } from "../../../src/config";

const options = { secrets: () => undefined, defaultOrg: "personal" };
const evaluate = (files: Record<string, string>) => evaluateTree(memoryFileTree(files), options);
const app = (name: string, extra = "") =>
  `app: ${name}\nprimary_region: arn\nsource:\n  type: image\n  image: nginx\n${extra}`;

describe("sync.self_heal", () => {
  it("is off by default, set per app, or inherited from a project's app_defaults", async () => {
    const ev = await evaluate({
      "project.yaml": "project: root\n",
      "a/app.yaml": app("a"),
      "b/app.yaml": app("b", "sync:\n  self_heal: true\n"),
      "team/project.yaml": "project: team\ncommon:\n  app_defaults:\n    sync:\n      self_heal: true\n",
      "team/c/app.yaml": app("c"),
      "team/d/app.yaml": app("d", "sync:\n  self_heal: false\n"),
    });
    expect(ev.errors).toEqual([]);
    const heal = Object.fromEntries(ev.apps.map((a) => [a.name, a.selfHeal === true]));
    expect(heal).toEqual({ a: false, b: true, c: true, d: false });
    expect(ev.apps.every((a) => !("sync" in a.config))).toBe(true);
  });

  it("does not change the app's hash: turning it on redeploys nothing", async () => {
    const off = await evaluate({ "app.yaml": app("a") });
    const on = await evaluate({ "app.yaml": app("a", "sync:\n  self_heal: true\n") });
    expect(on.apps[0]?.selfHeal).toBe(true);
    expect(on.apps[0]?.configHash).toBe(off.apps[0]?.configHash);
  });

  it("warns of an unknown sync field with its place, and leaves self-healing off", async () => {
    const ev = await evaluate({ "app.yaml": app("a", "sync:\n  self_heel: true\n") });
    expect(ev.warnings[0]).toMatchObject({ file: "app.yaml", line: 7, path: "sync.self_heel" });
    expect(ev.apps[0]?.selfHeal).toBeUndefined();
  });
});
