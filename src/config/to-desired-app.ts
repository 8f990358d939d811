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
import { appliesTo, list, processGroups } from "./machine/groups";
import { guestFor, hostDedicationFor } from "./machine/guest";
import { machineChecksFor } from "./machine/machine-checks";
import { servicesFor } from "./machine/services";
import { isPlainObject, type PlainObject } from "./merge";
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
    const hostDedicationId = hostDedicationFor(cfg, group);
    const machineChecks = machineChecksFor(cfg, group);
    const mounts = list(cfg.mounts).filter((m) => appliesTo(cfg, m, group));
    for (const region of app.regions) {
      const count = countFor(cfg, region);
      groups.push({
        processGroup: group,
        region,
        count,
        config,
        ...(hostDedicationId ? { hostDedicationId } : {}),
        ...(machineChecks.length > 0 ? { machineChecks } : {}),
      });
      counts.push({ group, region, count, mounts, ...(config.guest ? { guest: config.guest } : {}) });
    }
  }
  const network = isPlainObject(cfg.network) ? cfg.network : {};
  return {
    name: app.name,
    org: app.org,
    primaryRegion: app.primaryRegion,
    configHash: app.configHash,
    groups,
    volumes: volumesFor(cfg, counts),
    ips: ipsFor(cfg),
    autoPruneIps: network.auto_prune_ips === true,
    secrets: options.secretValues,
    secretsDigest: secretsDigest(options.secretValues, options.secretsKey ?? processSecretsKey()),
    deploy: deployFor(cfg, app.primaryRegion, options.image),
  };
}

/**
 * One group's machine config, as flyctl's `updateMachineConfig` (internal/appconfig/machines.go)
 * lays fly.toml over `machine_config`: the sections fly.toml maps replace the base's, the rest
 * of the base (dns, other init fields, ...) stays.
 */
export function machineConfig(app: ResolvedApp, group: string, options: ToDesiredOptions): FlyMachineConfig {
  const cfg = app.config;
  const { init: baseInit, ...base } = baseConfig(cfg);
  const guest = guestFor(cfg, group) ?? (base.guest as FlyMachineConfig["guest"]);
  const config: FlyMachineConfig = {
    ...base,
    image: options.image,
    env: envFor(cfg, group, app.primaryRegion),
    ...(guest ? { guest } : {}),
    metadata: {
      ...(base.metadata as Record<string, string> | undefined),
      [MACHINE_METADATA.platformVersion]: "v2",
      [MACHINE_METADATA.processGroup]: group,
      [MACHINE_METADATA.releaseId]: options.releaseId,
      [MACHINE_METADATA.releaseVersion]: String(options.releaseVersion),
      [MACHINE_METADATA.managed]: "true",
      [MACHINE_METADATA.configHash]: app.configHash,
    },
  };
  const optional: Partial<FlyMachineConfig> = {
    init: initFor(cfg, group, baseInit),
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

/** Fields of a machine config fly.toml always sets (or clears): never taken from `machine_config`. */
const mapped = ["init", "services", "checks", "env", "statics", "mounts", "stop_config", "files", "restart", "metrics"];

/** `[experimental] machine_config` (else the top-level one): JSON checked at evaluation (local-files.ts). */
function baseConfig(cfg: PlainObject): PlainObject & { init?: unknown } {
  const exp = isPlainObject(cfg.experimental) ? cfg.experimental.machine_config : undefined;
  const text = typeof exp === "string" && exp !== "" ? exp : cfg.machine_config;
  if (typeof text !== "string" || text === "") return {};
  const parsed: unknown = JSON.parse(text);
  if (!isPlainObject(parsed)) return {};
  const out: PlainObject = { ...parsed };
  for (const k of mapped) if (k !== "init") delete out[k];
  return out;
}
