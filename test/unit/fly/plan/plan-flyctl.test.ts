/** The planner's side of flyctl parity: guests, the release machine, volume creation. */
import { describe, expect, it } from "vitest";
import type { DesiredApp } from "../../../../src/config/desired-app";
import type { FlyMachineConfig } from "../../../../src/config/fly-machine-config";
import { planDeploy } from "../../../../src/fly/plan/plan-deploy";
import type { MachineChange, PlanStep } from "../../../../src/fly/plan/plan-types";
import { liveAfter, shopApp } from "../fixture-app";

const changes = (steps: PlanStep[]): MachineChange[] => steps.flatMap((s) => (s.kind === "machines" ? s.changes : []));
const configOf = (c: MachineChange) => (c.op === "destroy" ? undefined : c.config);
const PERF_2X = { cpu_kind: "performance" as const, cpus: 2, memory_mb: 4096 };

/** The shop app with no size in config for any group (no [[vm]], no vm_size). */
function unsized(over: Partial<DesiredApp> = {}, image?: string): DesiredApp {
  const app = shopApp(over, image);
  app.groups = app.groups.map((g) => {
    const { guest: _g, ...config } = g.config;
    return { ...g, config: config as FlyMachineConfig };
  });
  return app;
}

describe("guest without [[vm]] (flyctl machines.go toMachineGuest, machines_launchinput.go)", () => {
  it("leaves a machine's guest as it is: `fly scale vm` sticks, no redeploy for it", () => {
    const desired = unsized();
    const live = liveAfter(desired);
    for (const m of live.machines) m.config!.guest = { ...PERF_2X };
    expect(planDeploy(desired, live).steps).toEqual([]);
    // A new image keeps each machine's own guest.
    const plan = planDeploy(unsized({}, "registry.fly.io/shop:v2"), live);
    const updates = changes(plan.steps).filter((c) => c.op === "update");
    expect(updates).toHaveLength(6);
    for (const c of updates) expect(configOf(c)?.guest).toEqual(PERF_2X);
  });

  it("gives a new machine shared-cpu-1x, and the app's host dedication to every machine", () => {
    const desired = unsized();
    desired.groups = desired.groups.map((g) => ({ ...g, hostDedicationId: "solo" }));
    const plan = planDeploy(desired, { ...liveAfter(desired), exists: false, machines: [], volumes: [], ips: [] });
    const creates = changes(plan.steps).filter((c) => c.op === "create");
    expect(creates).toHaveLength(6);
    for (const c of creates)
      expect(configOf(c)?.guest).toEqual({ cpu_kind: "shared", cpus: 1, memory_mb: 256, host_dedication_id: "solo" });
  });
});

describe("release command machine (flyctl machines_releasecommand.go)", () => {
  const release = (desired: DesiredApp, live = liveAfter(shopApp())) =>
    planDeploy(desired, live).steps.find((s) => s.kind === "release-command") as Extract<
      PlanStep,
      { kind: "release-command" }
    >;
  const base: FlyMachineConfig = {
    image: "registry.fly.io/shop:v2",
    init: { cmd: ["npm", "run", "migrate"] },
    env: { RELEASE_COMMAND: "1", FLY_PROCESS_GROUP: "fly_app_release_command" },
    restart: { policy: "no" },
    auto_destroy: true,
    dns: { skip_registration: true },
    metadata: { fly_platform_version: "v2", fly_process_group: "fly_app_release_command" },
  };
  const withRelease = (machine: FlyMachineConfig, timeoutMs?: number) =>
    shopApp(
      {
        deploy: {
          ...shopApp().deploy,
          releaseMachine: machine,
          ...(timeoutMs ? { releaseCommandTimeoutMs: timeoutMs } : {}),
        },
      },
      "registry.fly.io/shop:v2",
    );

  it("takes the guest of the largest live machine of the default group (inferReleaseCommandGuest)", () => {
    const live = liveAfter(shopApp());
    const big = live.machines.find((m) => m.name === "web-ams-2")!;
    big.config!.guest = { cpu_kind: "performance", cpus: 1, memory_mb: 2048 };
    // worker machines are bigger than most web ones, but web is the default group here.
    expect(release(withRelease(base), live).config.guest).toEqual({
      cpu_kind: "performance",
      cpus: 1,
      memory_mb: 2048,
    });
  });

  it("is shared-cpu-2x for a new app, release_command_vm's guest when given, and has its own timeout", () => {
    const fresh = { ...liveAfter(shopApp()), exists: false, machines: [], volumes: [], ips: [] };
    expect(release(withRelease(base), fresh).config.guest).toEqual({ cpu_kind: "shared", cpus: 2, memory_mb: 512 });
    const sized = { ...base, guest: { cpu_kind: "performance" as const, cpus: 2, memory_mb: 4096 } };
    const step = release(withRelease(sized, 600_000));
    expect(step.config.guest).toEqual(sized.guest);
    expect(step.timeoutMs).toBe(600_000);
    expect(step.config.dns).toEqual({ skip_registration: true });
  });
});

describe("volumes (flyctl deploy_first.go provisionVolumesOnFirstDeploy)", () => {
  it("creates them with compute, encryption, snapshot retention and auto backups", () => {
    const compute = { cpu_kind: "shared" as const, cpus: 1, memory_mb: 512 };
    const desired = shopApp({
      volumes: [
        {
          name: "data",
          region: "iad",
          sizeGb: 3,
          count: 1,
          encrypted: true,
          compute,
          snapshotRetention: 10,
          autoBackupEnabled: false,
        },
      ],
    });
    desired.groups = desired.groups.filter((g) => g.region === "iad");
    const plan = planDeploy(desired, { ...liveAfter(desired), exists: false, machines: [], volumes: [], ips: [] });
    expect(plan.steps.find((s) => s.kind === "create-volume")).toEqual({
      id: "volume-create:data:iad:1",
      kind: "create-volume",
      name: "data",
      region: "iad",
      sizeGb: 3,
      encrypted: true,
      compute,
      snapshotRetention: 10,
      autoBackupEnabled: false,
    });
  });
});
