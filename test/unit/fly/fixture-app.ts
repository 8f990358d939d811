/** DesiredApp fixtures for the planner and executor tests, and "what Fly would run" builders. */
import type { DesiredApp, DesiredGroup } from "../../../src/config/desired-app";
import type { FlyMachineConfig } from "../../../src/config/fly-machine-config";
import type { FlyMachine, FlyVolume } from "../../../src/fly/client/fly-types";
import { machineConfigFor } from "../../../src/fly/plan/machine-config";
import type { LiveApp } from "../../../src/fly/plan/plan-types";

export function webConfig(image = "registry.fly.io/shop:v1", env: Record<string, string> = {}): FlyMachineConfig {
  return {
    image,
    env: { FLY_PROCESS_GROUP: "web", PRIMARY_REGION: "iad", ...env },
    init: { cmd: ["npm", "start"] },
    guest: { cpu_kind: "shared", cpus: 1, memory_mb: 256 },
    services: [
      {
        protocol: "tcp",
        internal_port: 8080,
        ports: [
          { port: 80, handlers: ["http"], force_https: true },
          { port: 443, handlers: ["http", "tls"] },
        ],
        checks: [{ type: "http", interval: "10s", timeout: "2s", grace_period: "5s", method: "GET", path: "/healthz" }],
        autostop: "off",
        autostart: true,
      },
    ],
    checks: { alive: { type: "tcp", port: 8080, interval: "15s", timeout: "2s" } },
    restart: { policy: "on-failure", max_retries: 3 },
  };
}

export function workerConfig(image = "registry.fly.io/shop:v1", mountPath = "/data"): FlyMachineConfig {
  return {
    image,
    env: { FLY_PROCESS_GROUP: "worker", PRIMARY_REGION: "iad" },
    init: { cmd: ["npm", "run", "worker"] },
    guest: { cpu_kind: "shared", cpus: 1, memory_mb: 512 },
    mounts: [{ name: "data", path: mountPath }],
  };
}

/** Two process groups over two regions (web 2+2, worker 1+1 with a volume each), secrets, IPs. */
export function shopApp(over: Partial<DesiredApp> = {}, image = "registry.fly.io/shop:v1"): DesiredApp {
  const groups: DesiredGroup[] = [
    { processGroup: "web", region: "iad", count: 2, config: webConfig(image) },
    { processGroup: "web", region: "ams", count: 2, config: webConfig(image) },
    { processGroup: "worker", region: "iad", count: 1, config: workerConfig(image) },
    { processGroup: "worker", region: "ams", count: 1, config: workerConfig(image) },
  ];
  return {
    name: "shop",
    org: "acme",
    primaryRegion: "iad",
    configHash: "hash-1",
    groups,
    volumes: [
      { name: "data", region: "iad", sizeGb: 3, count: 1 },
      { name: "data", region: "ams", sizeGb: 3, count: 1 },
    ],
    ips: [{ type: "v6" }, { type: "shared_v4" }],
    autoPruneIps: false,
    secrets: { DATABASE_URL: "postgres://db/shop", API_KEY: "k-1" },
    secretsDigest: "sec-1",
    deploy: {
      strategy: "rolling",
      maxUnavailable: 0.33,
      waitTimeoutMs: 300_000,
      releaseCommand: "npm run migrate",
      // What src/config makes of it (flyctl's ToReleaseMachineConfig).
      releaseMachine: {
        image,
        init: { cmd: ["npm", "run", "migrate"] },
        env: { RELEASE_COMMAND: "1", FLY_PROCESS_GROUP: "fly_app_release_command", PRIMARY_REGION: "iad" },
        restart: { policy: "no" },
        auto_destroy: true,
        dns: { skip_registration: true },
        metadata: { fly_platform_version: "v2", fly_process_group: "fly_app_release_command" },
      },
    },
    ...over,
  };
}

/**
 * What Fly runs after `desired` was applied: machines named by the planner's scheme carrying the
 * full config, release stamps and the fields Fly adds; volumes attached; the IPs listed.
 */
export function liveAfter(desired: DesiredApp): LiveApp {
  const machines: FlyMachine[] = [];
  const volumes: FlyVolume[] = [];
  for (const g of desired.groups)
    for (let i = 1; i <= g.count; i++) {
      const id = `m-${g.processGroup}-${g.region}-${i}`;
      const config = machineConfigFor(g, desired.secretsDigest);
      const mounts = config.mounts?.map((m) => {
        const vol = `vol_${g.region}_${i}`;
        volumes.push({
          id: vol,
          name: m.name,
          region: g.region,
          size_gb: 3,
          state: "created",
          attached_machine_id: id,
        });
        return { ...m, volume: vol, size_gb: 3 };
      });
      const stamped = {
        ...config,
        ...(mounts ? { mounts } : {}),
        metadata: { ...config.metadata, fly_release_id: "rel-1", fly_release_version: "1" },
        // Fields Fly fills in on its side: must not count as a difference.
        guest: { ...config.guest!, max_memory_mb: 0 },
        dns: {},
      };
      machines.push({
        id,
        name: `${g.processGroup}-${g.region}-${i}`,
        region: g.region,
        state: "started",
        config: stamped as FlyMachineConfig,
      });
    }
  return {
    name: desired.name,
    exists: true,
    machines,
    volumes,
    secretNames: Object.keys(desired.secrets),
    secretsDigest: desired.secretsDigest,
    ips: [
      { ip: "2a09:8280:1::1", region: "global", shared: false },
      { ip: "66.241.124.1", region: "global", shared: true },
    ],
  };
}

export const emptyLive: LiveApp = {
  name: "shop",
  exists: false,
  machines: [],
  volumes: [],
  secretNames: [],
  secretsDigest: null,
  ips: [],
};
