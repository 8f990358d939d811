/**
 * fly.toml as flyctl reads it, beyond the ported machines_test.go cases (flyctl-parity.test.ts):
 * each test names the flyctl / fly-go file whose behaviour it holds Tower to.
 */
import { describe, expect, it } from "vitest";
import { evaluateTree, formatDiagnostic, memoryFileTree, toDesiredApp } from "../../../src/config";
import type { DesiredApp } from "../../../src/config/desired-app";
import { buildSpecFor } from "../../../src/fly/build";

async function evaluate(toml: string, extra: Record<string, string> = {}) {
  const ev = await evaluateTree(memoryFileTree({ "app/fly.toml": toml, ...extra }), {
    secrets: () => undefined,
    defaultOrg: "acme",
  });
  return ev;
}

async function desired(toml: string, extra: Record<string, string> = {}): Promise<DesiredApp> {
  const ev = await evaluate(toml, extra);
  expect(ev.errors.map(formatDiagnostic)).toEqual([]);
  expect(ev.warnings.map(formatDiagnostic)).toEqual([]);
  return toDesiredApp(ev.apps[0]!, { image: "img:1", secretValues: {}, releaseId: "r", releaseVersion: 1 });
}

const head = 'app = "a"\nprimary_region = "ams"\n';
const config = (d: DesiredApp, group: string) => d.groups.find((g) => g.processGroup === group)!.config;

describe("sections without processes belong to the default group (flyctl processgroups.go)", () => {
  it("is app when there is one, else the first group name in order; other groups get none of them", async () => {
    const d = await desired(
      `${head}[processes]\nworker = "work"\nweb = "serve"\n[http_service]\n  internal_port = 8080\n` +
        `[checks.alive]\n  type = "tcp"\n[[files]]\n  guest_path = "/etc/x"\n  raw_value = "x"\n` +
        `[[restart]]\n  policy = "always"\n[[metrics]]\n  port = 9091\n  path = "/metrics"\n`,
    );
    // web < worker: web is the default group even though worker comes first in the file.
    expect(config(d, "web")).toMatchObject({
      services: [{ internal_port: 8080 }],
      checks: { alive: { port: 8080 } },
      files: [{ guest_path: "/etc/x" }],
      restart: { policy: "always" },
      metrics: { port: 9091 },
    });
    for (const key of ["services", "checks", "files", "restart", "metrics"])
      expect(config(d, "worker")).not.toHaveProperty(key);
  });
});

describe("[[files]] (flyctl internal/appconfig/config.go toMachineFile)", () => {
  it("sends raw_value base64-encoded and reads local_path relative to the fly.toml, from the repo", async () => {
    const d = await desired(
      `${head}[[files]]\n  guest_path = "/etc/motd"\n  raw_value = "héllo\\n"\n` +
        `[[files]]\n  guest_path = "/etc/nginx.conf"\n  local_path = "conf/nginx.conf"\n`,
      { "app/conf/nginx.conf": "server { listen 80; }\n" },
    );
    expect(config(d, "app").files).toEqual([
      { guest_path: "/etc/motd", raw_value: Buffer.from("héllo\n").toString("base64") },
      { guest_path: "/etc/nginx.conf", raw_value: Buffer.from("server { listen 80; }\n").toString("base64") },
    ]);
  });

  it("a local_path that is not in the repo is an error at its line; one above the tree too", async () => {
    const ev = await evaluate(
      `${head}[[files]]\n  guest_path = "/a"\n  local_path = "missing.conf"\n[[files]]\n  guest_path = "/b"\n  local_path = "../../x"\n`,
    );
    expect(ev.apps).toEqual([]);
    expect(ev.errors.map(formatDiagnostic)).toEqual([
      "app/fly.toml:5:3: error: files[0].local_path: app/missing.conf is not in memory",
      "app/fly.toml:8:3: error: files[1].local_path: ../../x points outside the config tree",
    ]);
  });

  it("a change to a local_path file is a change to the app (its hash)", async () => {
    const toml = `${head}[[files]]\n  guest_path = "/etc/c"\n  local_path = "c.txt"\n`;
    const one = await evaluate(toml, { "app/c.txt": "1" });
    const two = await evaluate(toml, { "app/c.txt": "2" });
    expect(one.apps[0]!.configHash).not.toBe(two.apps[0]!.configHash);
  });
});

describe("[build] (flyctl internal/appconfig/config.go Build)", () => {
  it("takes build-target (and its alias build_target) and [build.args], without warnings", async () => {
    for (const key of ["build-target", "build_target"]) {
      const ev = await evaluate(`${head}[build]\n  ${key} = "runtime"\n  [build.args]\n    NODE_ENV = "production"\n`);
      expect(ev.warnings.map(formatDiagnostic)).toEqual([]);
      const spec = buildSpecFor(ev.apps[0]!, { sourceCommit: "0".repeat(40), configRepo: "https://git.example/c.git" });
      expect(spec).toMatchObject({ target: "runtime", args: { NODE_ENV: "production" } });
    }
  });
});

describe("[[vm]] / [[compute]] (flyctl processgroups.go ComputeForGroup, machines.go computeToGuest)", () => {
  it("a group's own section wins over a global one whatever the order; [[compute]] is [[vm]]", async () => {
    const d = await desired(
      `${head}[processes]\napp = ""\njobs = "work"\n[[vm]]\n  size = "shared-cpu-2x"\n` +
        `[[compute]]\n  size = "performance-6x"\n  processes = ["jobs"]\n`,
    );
    expect(config(d, "app").guest).toEqual({ cpu_kind: "shared", cpus: 2, memory_mb: 512 });
    expect(config(d, "jobs").guest).toEqual({ cpu_kind: "performance", cpus: 6, memory_mb: 12288 });
  });

  it("knows every fly-go preset and the host_dedication_id of a section", async () => {
    const d = await desired(`${head}[[vm]]\n  size = "performance-14x"\n  host_dedication_id = "solo"\n`);
    expect(config(d, "app").guest).toEqual({
      cpu_kind: "performance",
      cpus: 14,
      memory_mb: 28672,
      host_dedication_id: "solo",
    });
    const gpu = await desired(`${head}[[vm]]\n  size = "l40s"\n`);
    expect(config(gpu, "app").guest).toEqual({
      cpu_kind: "performance",
      cpus: 8,
      memory_mb: 32768,
      gpu_kind: "l40s",
      gpus: 1,
    });
  });

  it("leaves the guest out when nothing sizes the group: the planner keeps what a machine has", async () => {
    const d = await desired(head);
    expect(config(d, "app")).not.toHaveProperty("guest");
  });
});

describe("[experimental] machine_config, machine_checks, release_command_vm are read, not dropped", () => {
  it("machine_config (JSON or a file next to the fly.toml) is the base fly.toml is laid over", async () => {
    const d = await desired(
      `${head}[experimental]\n  machine_config = "machine.json"\n[env]\n  A = "1"\n` +
        `[http_service]\n  internal_port = 80\n  [[http_service.machine_checks]]\n    command = ["curl", "-f", "http://x"]\n`,
      { "app/machine.json": '{"dns": {"nameservers": ["1.1.1.1"]}, "env": {"GONE": "1"}, "init": {"tty": true}}' },
    );
    const c = config(d, "app");
    expect(c.dns).toEqual({ nameservers: ["1.1.1.1"] });
    expect(c.env).toEqual({ A: "1", FLY_PROCESS_GROUP: "app", PRIMARY_REGION: "ams" });
    expect(c.init).toEqual({ tty: true });
    // http_service.machine_checks: test machines the rollout runs against each updated machine.
    expect(d.groups[0]!.machineChecks).toEqual([{ command: ["curl", "-f", "http://x"], env: { A: "1" } }]);
  });

  it("a machine_config that is not JSON is an error at its line", async () => {
    const ev = await evaluate(`${head}[experimental]\n  machine_config = "{nope"\n`);
    expect(ev.errors.map(formatDiagnostic)).toEqual([
      expect.stringMatching(/^app\/fly\.toml:4:3: error: experimental\.machine_config: machine_config is not JSON: /),
    ]);
  });
});

describe("the release command machine (flyctl machines.go ToReleaseMachineConfig)", () => {
  it("carries release_command_vm's guest, the timeout, files, stop config and the experimental entrypoint", async () => {
    const d = await desired(
      `${head}kill_signal = "SIGINT"\nkill_timeout = 20\n[deploy]\n  release_command = "bin/migrate --all"\n` +
        `  release_command_timeout = "10m"\n  [deploy.release_command_vm]\n    size = "shared-cpu-4x"\n` +
        `[experimental]\n  entrypoint = ["/init"]\n[[files]]\n  guest_path = "/etc/w"\n  raw_value = "w"\n  processes = ["app"]\n`,
    );
    expect(d.deploy.releaseCommandTimeoutMs).toBe(600_000);
    expect(d.deploy.releaseMachine).toEqual({
      image: "img:1",
      init: { cmd: ["bin/migrate", "--all"], entrypoint: ["/init"] },
      env: { RELEASE_COMMAND: "1", FLY_PROCESS_GROUP: "fly_app_release_command", PRIMARY_REGION: "ams" },
      restart: { policy: "no" },
      auto_destroy: true,
      dns: { skip_registration: true },
      metadata: { fly_platform_version: "v2", fly_process_group: "fly_app_release_command" },
      stop_config: { signal: "SIGINT", timeout: "20s" },
      files: [{ guest_path: "/etc/w", raw_value: "dw==" }],
      guest: { cpu_kind: "shared", cpus: 4, memory_mb: 1024 },
    });
  });
});

describe("volumes and IPs of a first deploy (flyctl deploy_first.go)", () => {
  it("volumes are encrypted, placed by the group's guest, with snapshot_retention and auto backups", async () => {
    const d = await desired(
      `${head}[[vm]]\n  size = "a10"\n[[mounts]]\n  source = "data"\n  destination = "/data"\n` +
        `  snapshot_retention = 14\n  scheduled_snapshots = false\n`,
    );
    expect(d.volumes).toEqual([
      {
        name: "data",
        region: "ams",
        sizeGb: 100, // flyctl DefaultGPUVolumeInitialSizeGB for a GPU guest without initial_size
        count: 1,
        encrypted: true,
        compute: { cpu_kind: "performance", cpus: 8, memory_mb: 32768, gpu_kind: "a10", gpus: 1 },
        snapshotRetention: 14,
        autoBackupEnabled: false,
      },
    ]);
  });

  it("UDP or non-http ports get a dedicated v4 (and a v6 unless UDP), as DetermineIPType decides", async () => {
    const svc = (body: string) => `${head}[[services]]\n  internal_port = 5000\n${body}`;
    const ips = async (toml: string) => (await desired(toml)).ips.map((i) => i.type);
    expect(await ips(`${head}[http_service]\n  internal_port = 8080\n`)).toEqual(["v6", "shared_v4"]);
    expect(await ips(svc('  protocol = "udp"\n  [[services.ports]]\n    port = 5000\n'))).toEqual(["v4"]);
    expect(await ips(svc('  protocol = "tcp"\n  [[services.ports]]\n    port = 5432\n'))).toEqual(["v4", "v6"]);
    expect(
      await ips(svc('  protocol = "tcp"\n  [[services.ports]]\n    port = 443\n    handlers = ["tls"]\n')),
    ).toEqual(["v4", "v6"]);
    expect(
      await ips(svc('  protocol = "tcp"\n  [[services.ports]]\n    port = 443\n    handlers = ["tls", "http"]\n')),
    ).toEqual(["v6", "shared_v4"]);
  });
});
