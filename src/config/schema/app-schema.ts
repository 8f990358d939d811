import { z } from "zod";
import * as fly from "./fly-sections";
import { appName, envValue, positiveInt, region, size } from "./primitives";
import { source } from "./source-schema";

/**
 * Secrets the app gets, flycd's format: `{name, type: env, env?}` takes the value from the
 * Worker's environment variable `env` (default: `name`); `{name, type: raw, raw}` carries the value
 * in the file (tests and demos only: it is in git).
 */
export const secret = z.strictObject({
  name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "a secret name is an environment variable name"),
  type: z.enum(["env", "raw"]).default("env"),
  env: z.string().optional(),
  raw: z.string().optional(),
});

const machines = z.strictObject({
  count: z.number().int().min(0).optional(),
  count_per_region: z.record(region, z.number().int().min(0)).optional(),
  ram_mb: positiveInt.multipleOf(256, "memory is a multiple of 256 MB").optional(),
  cpu_cores: positiveInt.optional(),
  cpu_type: z.enum(["shared", "performance"]).optional(),
});

/** `previews`: one Fly app per pull request of the app's git source (see docs/previews.md). */
const previews = z.strictObject({
  enabled: z.boolean(),
  name: z
    .string()
    .regex(/^[a-z0-9<>-]+$/, "a preview name template is a-z, 0-9, - and the placeholders <app> and <number>")
    .refine((t) => t.includes("<number>"), "a preview name template must contain <number>")
    .describe("template of the preview app's name; default <app>-pr-<number>, shortened with a hash past 63")
    .optional(),
  org: z.string().min(1).optional(),
  region: region.optional(),
  machines: machines.describe("overrides for previews; default one machine").optional(),
  env: z.record(z.string(), envValue).describe("env overrides for previews").optional(),
  secrets: z.array(secret).describe("the preview's secrets: only these, never the app's").optional(),
  ttl: z
    .union([positiveInt, z.string().regex(/^\d+(d|h)$/, 'a ttl in days or hours, e.g. "7d" or "36h"')])
    .describe('destroy a preview after this long without a push (days, or "36h"); default 7d')
    .optional(),
  forks: z
    .boolean()
    .describe("also preview pull requests from forks (their code gets the preview's secrets)")
    .optional(),
  max: positiveInt
    .max(1000)
    .describe("live previews of this app at most (each is a Fly app); a pull request past it gets none; default 20")
    .optional(),
});

const ip = z.strictObject({
  v: z.enum(["v4", "v6"]),
  Private: z.boolean().optional(),
  Shared: z.boolean().optional(),
  Network: z.string().optional(),
  Region: region.optional(),
});

const oneOrMany = <T extends z.ZodType>(t: T) => z.union([t, z.array(t)]);

/** app.yaml: every fly.toml field plus flycd's (source, org, extra_regions, machines, ...). */
export const appSchema = z.strictObject({
  app: appName,
  org: z.string().min(1).optional(),
  adopt: z
    .boolean()
    .describe("deploy into a Fly app that exists already and Tower did not create; Tower never prunes an adopted app")
    .optional(),
  primary_region: region.optional(),
  extra_regions: z.array(region).describe("regions besides primary_region to run in").optional(),
  source: source
    .describe(
      "where the code comes from: git (repo, ref, path), local (folder of this repo), inline-docker-file, image",
    )
    .optional(),
  kill_signal: z.string().optional(),
  kill_timeout: z.union([positiveInt, z.string()]).optional(),
  swap_size_mb: positiveInt.optional(),
  console_command: z.string().optional(),
  vm_size: z.string().optional(),
  host_dedication_id: z.string().optional(),
  env: z.record(z.string(), envValue).optional(),
  build: fly.build.optional(),
  deploy: fly.deploy.optional(),
  http_service: fly.httpService.optional(),
  services: z.array(fly.service).optional(),
  checks: z.record(z.string(), fly.topCheck).optional(),
  machine_checks: z.array(fly.machineCheck).describe("test machines run against each updated machine").optional(),
  processes: z
    .record(z.string().regex(/^[a-z0-9_-]+$/, "a process group name is a-z, 0-9, _ and -"), z.string())
    .optional(),
  mounts: oneOrMany(fly.mount).optional(),
  vm: oneOrMany(fly.vm).optional(),
  compute: oneOrMany(fly.vm).describe("flyctl's other name for vm").optional(),
  machine_config: z.string().describe("a machine config (JSON, or a file of it) every field is laid over").optional(),
  restart: z.array(fly.restart).optional(),
  files: z.array(fly.file).optional(),
  statics: z.array(fly.staticFiles).optional(),
  metrics: oneOrMany(fly.metrics).optional(),
  experimental: z.record(z.string(), z.unknown()).optional(),
  machines: machines
    .describe("count (default 1), count_per_region, and ram_mb/cpu_cores/cpu_type for every group")
    .optional(),
  volumes: z
    .array(z.strictObject({ name: z.string(), size_gb: size.optional(), count: positiveInt.optional() }))
    .optional(),
  secrets: z
    .array(secret)
    .describe(
      "Fly secrets: {name, type: env, env?} from the Worker's env (env defaults to name), or {name, type: raw, raw} for tests",
    )
    .optional(),
  sync: z
    .strictObject({
      self_heal: z
        .boolean()
        .describe("on each cron tick, compare what Fly runs with what Tower last applied and re-apply on difference")
        .optional(),
    })
    .describe("Tower's sync settings for the app; set it in a project's common.app_defaults for all its apps")
    .optional(),
  previews: previews.describe("preview apps for pull requests (git sources only)").optional(),
  network: z.strictObject({ auto_prune_ips: z.boolean().optional(), ips: z.array(ip).optional() }).optional(),
  // flycd merged the source repo's own fly.toml in; Tower reads config from the config repo only.
  merge_cfg: z
    .record(z.string(), z.unknown())
    .describe("flycd's merge_cfg: not supported by Tower (ignored)")
    .optional(),
  launch_params: z
    .array(z.string())
    .describe("flyctl flags; Tower reads --vm-size, --region, --org, --ha, --name")
    .optional(),
  deploy_params: z.array(z.string()).describe("flyctl flags; Tower reads --vm-size, --region, --org, --ha").optional(),
});

export type AppFile = z.input<typeof appSchema>;
