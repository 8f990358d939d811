import { describe, expect, it } from "vitest";
import { planDeploy } from "../../../../src/fly/plan/plan-deploy";
import type { PlanStep } from "../../../../src/fly/plan/plan-types";
import { emptyLive, liveAfter, shopApp, webConfig } from "../fixture-app";

const summary = (steps: PlanStep[]) =>
  steps.map((s) =>
    s.kind === "machines"
      ? `${s.id}: ${s.changes.map((c) => `${c.op} ${c.name}`).join(", ")}${s.wait ? "" : " (no wait)"}`
      : s.id,
  );

describe("planDeploy", () => {
  it("creates everything for a new app, in order, with the release command before any machine", () => {
    const plan = planDeploy(shopApp(), emptyLive);
    expect(summary(plan.steps)).toEqual([
      "create-app",
      "set-secrets",
      "volume-create:data:ams:1",
      "volume-create:data:iad:1",
      "ip-assign:1:v6",
      "ip-assign:2:shared_v4",
      "release-command",
      "machines-1: create web-ams-1, create worker-ams-1",
      "machines-2: create web-ams-2, create web-iad-1, create worker-iad-1",
      "machines-3: create web-iad-2",
    ]);
    expect(plan.steps[0]).toEqual({ id: "create-app", kind: "create-app", org: "acme" });
    // The plan names secrets, never their values.
    expect(JSON.stringify(plan)).not.toContain("postgres://db/shop");
    const worker = plan.steps
      .flatMap((s) => (s.kind === "machines" ? s.changes : []))
      .find((c) => c.name === "worker-iad-1");
    expect(worker).toMatchObject({ op: "create", volumes: { data: { step: "volume-create:data:iad:1" } } });
    expect(worker?.op === "create" && worker.config.metadata).toMatchObject({
      fly_platform_version: "v2",
      fly_process_group: "worker",
      tower_secrets: "sec-1",
    });
  });

  it("plans nothing for an app already in its desired state (Fly's own additions ignored)", () => {
    const desired = shopApp();
    const plan = planDeploy(desired, liveAfter(desired));
    expect(plan.steps).toEqual([]);
  });

  it("rolls an image change out per process group: the first machine alone, then batches of max_unavailable of that group", () => {
    const live = liveAfter(shopApp());
    const plan = planDeploy(shopApp({ configHash: "hash-2" }, "registry.fly.io/shop:v2"), live);
    expect(summary(plan.steps)).toEqual([
      "release-command",
      // Per process group (flyctl plan.go): web's 4 machines go 1, 2, 1; worker's 2 go 1, 1.
      "machines-1: update web-ams-1, update worker-ams-1",
      "machines-2: update web-ams-2, update web-iad-1, update worker-iad-1",
      "machines-3: update web-iad-2",
    ]);
    const worker = plan.steps
      .flatMap((s) => (s.kind === "machines" ? s.changes : []))
      .find((c) => c.name === "worker-iad-1");
    // The update keeps the machine's volume.
    expect(worker?.op === "update" && worker.config.mounts).toEqual([
      { name: "data", path: "/data", volume: "vol_iad_1" },
    ]);
  });

  it("sets secrets when their digest changed, and updates machines so they pick them up", () => {
    const live = liveAfter(shopApp());
    const plan = planDeploy(
      shopApp({
        secretsDigest: "sec-2",
        deploy: { ...shopApp().deploy, releaseCommand: undefined, strategy: "immediate" },
      }),
      live,
    );
    expect(summary(plan.steps)).toEqual([
      "set-secrets",
      "machines-1: update web-ams-1, update web-ams-2, update web-iad-1, update web-iad-2, update worker-ams-1, update worker-iad-1 (no wait)",
    ]);
    expect(plan.steps[0]).toEqual({
      id: "set-secrets",
      kind: "set-secrets",
      names: ["API_KEY", "DATABASE_URL"],
      digest: "sec-2",
    });
  });

  it("replaces a machine whose mount changed, keeping its volume", () => {
    const desired = shopApp();
    const live = liveAfter(desired);
    const changed = shopApp({ deploy: { ...desired.deploy, releaseCommand: undefined } });
    changed.groups = changed.groups.map((g) =>
      g.processGroup === "worker"
        ? { ...g, config: { ...g.config, mounts: [{ name: "data", path: "/var/data" }] } }
        : g,
    );
    const plan = planDeploy(changed, live);
    expect(summary(plan.steps)).toEqual(["machines-1: replace worker-ams-2", "machines-2: replace worker-iad-2"]);
    const [first] = plan.steps.flatMap((s) => (s.kind === "machines" ? s.changes : []));
    expect(first).toMatchObject({ op: "replace", machineId: "m-worker-ams-1", volumes: { data: { id: "vol_ams_1" } } });
  });

  it("grows volumes but never shrinks them, and creates the ones new machines need", () => {
    const live = liveAfter(shopApp());
    const bigger = shopApp({
      volumes: [
        { name: "data", region: "iad", sizeGb: 10, count: 2 },
        { name: "data", region: "ams", sizeGb: 1, count: 1 },
      ],
    });
    bigger.groups = bigger.groups.map((g) =>
      g.processGroup === "worker" && g.region === "iad" ? { ...g, count: 2 } : g,
    );
    const plan = planDeploy(bigger, live);
    expect(plan.steps.filter((s) => s.kind.endsWith("volume"))).toEqual([
      {
        id: "volume-extend:vol_iad_1",
        kind: "extend-volume",
        volumeId: "vol_iad_1",
        name: "data",
        region: "iad",
        sizeGb: 10,
      },
      { id: "volume-create:data:iad:1", kind: "create-volume", name: "data", region: "iad", sizeGb: 10 },
    ]);
    expect(summary(plan.steps).at(-1)).toBe("machines-1: create worker-iad-2");
  });

  it("destroys extra machines and those of regions no longer wanted", () => {
    const live = liveAfter(shopApp());
    const smaller = shopApp({ deploy: { ...shopApp().deploy, releaseCommand: undefined } });
    smaller.groups = smaller.groups
      .filter((g) => g.region === "iad")
      .map((g) => (g.processGroup === "web" ? { ...g, count: 1 } : g));
    smaller.volumes = smaller.volumes.filter((v) => v.region === "iad");
    const plan = planDeploy(smaller, live);
    // Two web machines remain wanted: max_unavailable 0.33 of 2 rounds up to batches of one; the
    // worker group, gone from this region, rolls beside web.
    expect(summary(plan.steps)).toEqual([
      "machines-1: destroy web-iad-2, destroy worker-ams-1",
      "machines-2: destroy web-ams-1",
      "machines-3: destroy web-ams-2",
    ]);
    // Data stays: no volume is ever deleted.
    expect(plan.steps.some((s) => s.kind.includes("volume"))).toBe(false);
  });

  it("leaves machines Tower does not manage alone", () => {
    const desired = shopApp();
    const live = liveAfter(desired);
    live.machines.push({ id: "m-other", name: "debug", region: "iad", state: "started", config: { image: "alpine" } });
    expect(planDeploy(desired, live).steps).toEqual([]);
  });

  it("assigns missing IPs and releases unlisted ones only with auto_prune_ips", () => {
    const live = liveAfter(shopApp());
    live.ips.push({ ip: "137.66.1.1", region: "global", shared: false });
    expect(planDeploy(shopApp(), live).steps).toEqual([]);
    const pruning = planDeploy(shopApp({ autoPruneIps: true, ips: [{ type: "v6" }, { type: "v4" }] }), live);
    expect(pruning.steps).toEqual([{ id: "ip-release:66.241.124.1", kind: "release-ip", ip: "66.241.124.1" }]);
    const more = planDeploy(
      shopApp({ ips: [{ type: "v6" }, { type: "shared_v4" }, { type: "v6", region: "ams" }] }),
      liveAfter(shopApp()),
    );
    expect(more.steps).toEqual([{ id: "ip-assign:3:v6", kind: "assign-ip", type: "v6", region: "ams" }]);
  });

  it("notices a field removed from the desired config", () => {
    const desired = shopApp();
    const live = liveAfter(desired);
    const without = shopApp();
    without.groups = without.groups.map((g) =>
      g.processGroup === "web" ? { ...g, config: { ...webConfig(), checks: undefined } } : g,
    );
    const plan = planDeploy(without, live);
    expect(plan.steps.flatMap((s) => (s.kind === "machines" ? s.changes.map((c) => c.op) : []))).toEqual([
      "update",
      "update",
      "update",
      "update",
    ]);
  });
});
