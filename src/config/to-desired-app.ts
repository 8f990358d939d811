import { MACHINE_METADATA } from "../base/machine-metadata";
import { processSecretsKey, secretsDigest } from "../base/secrets-digest";
import type { DesiredApp, DesiredGroup } from "./desired-app";
import type { FlyMachineConfig } from "./fly-machine-config";
import { deployFor, ipsFor, volumesFor } from "./machine/app-level";
import { checksFor } from "./machine/checks";
import { countFor, type DesiredGroupCount } from "./machine/counts";
import {
  envFor,
  filesFor,
  initFor,
  metricsFor,
  mountsFor,
  restartFor,
  staticsFor,
  stopConfigFor,
} from "./machine/extras";
import { list, processGroups } from "./machine/groups";
import { guestFor } from "./machine/guest";
import { servicesFor } from "./machine/services";
import { isPlainObject } from "./merge";
import type { ResolvedApp } from "./resolved-app";

export interface ToDesiredOptions {
  image: string;
  secretValues: Record<string, string>;
  releaseId: string;
  releaseVersion: number;
  /** HMAC key of `tower_secrets` (the AppDO's, from its storage); default: one per process. */
  secretsKey?: string;
}

/**
 * A resolved app → the Fly machines it should run: one machine config per process group, copied
 * to each region with that region's count (flyctl's fly.toml mapping; see FLY-FACTS.md).
 */
export function toDesiredApp(app: ResolvedApp, options: ToDesiredOptions): DesiredApp {
  const cfg = app.config;
  const groups: DesiredGroup[] = [];
  const counts: DesiredGroupCount[] = [];
  for (const group of processGroups(cfg)) {
    const config = machineConfig(app, group, options);
    for (const region of app.regions) {
      const count = countFor(cfg, region);
      groups.push({ processGroup: group, region, count, config });
      const mounts = (config.mounts ?? []).map((m) => ({
        name: m.name,
        initialSize: list(cfg.mounts).find((x) => x.source === m.name)?.initial_size as number | string | undefined,
      }));
      counts.push({ group, region, count, mounts });
    }
  }
  const network = isPlainObject(cfg.network) ? cfg.network : {};
  return {
    name: app.name,
    org: app.org,
    primaryRegion: app.primaryRegion,
    configHash: app.hash,
    groups,
    volumes: volumesFor(cfg, counts),
    ips: ipsFor(cfg),
    autoPruneIps: network.auto_prune_ips === true,
    secrets: options.secretValues,
    secretsDigest: secretsDigest(options.secretValues, options.secretsKey ?? processSecretsKey()),
    deploy: deployFor(cfg),
  };
}

export function machineConfig(app: ResolvedApp, group: string, options: ToDesiredOptions): FlyMachineConfig {
  const cfg = app.config;
  const config: FlyMachineConfig = {
    image: options.image,
    env: envFor(cfg, group, app.primaryRegion),
    guest: guestFor(cfg, group),
    metadata: {
      [MACHINE_METADATA.platformVersion]: "v2",
      [MACHINE_METADATA.processGroup]: group,
      [MACHINE_METADATA.releaseId]: options.releaseId,
      [MACHINE_METADATA.releaseVersion]: String(options.releaseVersion),
      [MACHINE_METADATA.managed]: "true",
      [MACHINE_METADATA.configHash]: app.hash,
    },
  };
  const optional: Partial<FlyMachineConfig> = {
    init: initFor(cfg, group),
    services: servicesFor(cfg, group),
    checks: checksFor(cfg, group),
    mounts: mountsFor(cfg, group),
    restart: restartFor(cfg, group),
    files: filesFor(cfg, group),
    statics: staticsFor(cfg),
    metrics: metricsFor(cfg, group),
    stop_config: stopConfigFor(cfg),
  };
  for (const [key, value] of Object.entries(optional)) {
    if (value !== undefined && !(Array.isArray(value) && value.length === 0))
      (config as unknown as Record<string, unknown>)[key] = value;
  }
  return config;
}
