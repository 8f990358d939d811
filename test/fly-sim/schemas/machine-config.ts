/**
 * `fly.MachineConfig` and the schemas it references, written from Fly's API description for the
 * subset Tower uses. Strict: a field the description does not declare is an error, because the
 * real API silently ignores it.
 */
import { z } from "zod";
import { duration, int, stopSignal, stringMap, strings } from "./primitives";

const header = z.strictObject({ name: z.string(), values: strings });

const checkFields = {
  grace_period: duration,
  headers: z.array(header),
  interval: duration,
  method: z.string(),
  path: z.string(),
  port: int,
  protocol: z.string(),
  timeout: duration,
  tls_server_name: z.string(),
  tls_skip_verify: z.boolean(),
  type: z.enum(["http", "tcp"]),
};

export const serviceCheck = z.strictObject(checkFields).partial();

/** Top-level checks need `type` and `port` (FLY-FACTS). */
export const machineCheck = z.strictObject({
  ...z.strictObject(checkFields).partial().shape,
  type: checkFields.type,
  port: int,
  kind: z.enum(["informational", "readiness"]).optional(),
});

const httpOptions = z
  .strictObject({
    compress: z.boolean(),
    h2_backend: z.boolean(),
    headers_read_timeout: int,
    idle_timeout: int,
    // Header values are objects in the description (`additionalProperties: {type: object}`).
    response: z
      .strictObject({ headers: z.record(z.string(), z.record(z.string(), z.unknown())), pristine: z.boolean() })
      .partial(),
  })
  .partial();

const port = z
  .strictObject({
    end_port: int,
    force_https: z.boolean(),
    handlers: strings,
    http_options: httpOptions,
    port: int,
    proxy_proto_options: z.strictObject({ version: z.string() }).partial(),
    start_port: int,
    tls_options: z.strictObject({ alpn: strings, default_self_signed: z.boolean(), versions: strings }).partial(),
  })
  .partial();

export const service = z.strictObject({
  autostart: z.boolean().optional(),
  autostop: z.enum(["off", "stop", "suspend"]).optional(),
  checks: z.array(serviceCheck).optional(),
  concurrency: z.strictObject({ hard_limit: int, soft_limit: int, type: z.string() }).partial().optional(),
  force_instance_description: z.string().optional(),
  force_instance_key: z.string().optional(),
  internal_port: int,
  min_machines_running: int.optional(),
  ports: z.array(port).optional(),
  protocol: z.enum(["tcp", "udp"]).optional(),
});

export const guest = z
  .strictObject({
    cpu_kind: z.enum(["shared", "performance"]),
    cpus: int.min(1),
    gpu_kind: z.string(),
    gpus: int,
    host_dedication_id: z.string(),
    kernel_args: strings,
    max_memory_mb: int,
    memory_mb: int.min(256).refine((n) => n % 256 === 0, { message: "memory_mb must be a multiple of 256" }),
    persist_rootfs: z.enum(["never", "always", "restart"]),
  })
  .partial();

export const mount = z.strictObject({
  add_size_gb: int.optional(),
  encrypted: z.boolean().optional(),
  extend_threshold_percent: int.optional(),
  name: z.string().optional(),
  path: z.string().min(1),
  size_gb: int.optional(),
  size_gb_limit: int.optional(),
  volume: z.string().min(1),
});

const file = z
  .strictObject({
    guest_path: z.string(),
    image_config: z.string(),
    mode: int,
    raw_value: z.string(),
    secret_name: z.string(),
  })
  .partial()
  .required({ guest_path: true });

const init = z
  .strictObject({
    cmd: strings,
    entrypoint: strings,
    exec: strings,
    kernel_args: strings,
    swap_size_mb: int,
    tty: z.boolean(),
  })
  .partial();

const staticFiles = z.strictObject({
  guest_path: z.string(),
  index_document: z.string().optional(),
  tigris_bucket: z.string().optional(),
  url_prefix: z.string(),
});

const dns = z
  .strictObject({
    hostname: z.string(),
    hostname_fqdn: z.string(),
    nameservers: strings,
    searches: strings,
    skip_registration: z.boolean(),
  })
  .partial();

export const machineConfig = z.strictObject({
  auto_destroy: z.boolean().optional(),
  cache_drive: z.strictObject({ size_mb: int }).partial().optional(),
  checks: z.record(z.string(), machineCheck).optional(),
  disable_machine_autostart: z.boolean().optional(),
  dns: dns.optional(),
  env: stringMap.optional(),
  files: z.array(file).optional(),
  guest: guest.optional(),
  image: z.string().min(1),
  init: init.optional(),
  metadata: stringMap.optional(),
  metrics: z.strictObject({ https: z.boolean(), path: z.string(), port: int }).partial().optional(),
  mounts: z.array(mount).optional(),
  restart: z
    .strictObject({ max_retries: int, policy: z.enum(["no", "always", "on-failure", "spot-price"]) })
    .partial()
    .optional(),
  rootfs: z
    .strictObject({ persist: z.enum(["never", "always", "restart"]), size_gb: int })
    .partial()
    .optional(),
  schedule: z.enum(["hourly", "daily", "weekly", "monthly"]).optional(),
  services: z.array(service).optional(),
  size: z.string().optional(),
  standbys: strings.optional(),
  statics: z.array(staticFiles).optional(),
  stop_config: z.strictObject({ signal: stopSignal, timeout: duration }).partial().optional(),
});

export type MachineConfig = z.infer<typeof machineConfig>;
