import { z } from "zod";
import { duration, nonNegativeInt, port, positiveInt, processes, size } from "./primitives";

// fly.toml sections, with flyctl's field names. Objects are strict here only so that unknown keys
// are *reported* (as warnings, see validate.ts); their values are kept and passed through.

const headers = z.record(z.string(), z.union([z.string(), z.array(z.string())]));

export const httpCheck = z.strictObject({
  grace_period: duration.optional(),
  interval: duration.optional(),
  timeout: duration.optional(),
  method: z.string().optional(),
  path: z.string().optional(),
  protocol: z.enum(["http", "https"]).optional(),
  tls_skip_verify: z.boolean().optional(),
  tls_server_name: z.string().optional(),
  headers: headers.optional(),
});

export const tcpCheck = z.strictObject({
  grace_period: duration.optional(),
  interval: duration.optional(),
  timeout: duration.optional(),
});

export const topCheck = httpCheck.extend({
  type: z.enum(["http", "tcp"]),
  port: port.optional(),
  kind: z.enum(["informational", "readiness"]).optional(),
  processes,
});

const autostop = z.union([z.boolean(), z.enum(["off", "stop", "suspend"])]);
const concurrency = z.strictObject({
  type: z.enum(["connections", "requests"]).optional(),
  hard_limit: positiveInt.optional(),
  soft_limit: positiveInt.optional(),
});
const options = z.record(z.string(), z.unknown());

/** A test machine run after each machine is updated (flyctl internal/appconfig/service.go `ServiceMachineCheck`). */
export const machineCheck = z.strictObject({
  command: z.array(z.string()).min(1),
  image: z.string().optional(),
  entrypoint: z.array(z.string()).optional(),
  kill_signal: z.string().optional(),
  kill_timeout: duration.optional(),
});

export const httpService = z.strictObject({
  internal_port: port,
  force_https: z.boolean().optional(),
  auto_stop_machines: autostop.optional(),
  auto_start_machines: z.boolean().optional(),
  min_machines_running: nonNegativeInt.optional(),
  processes,
  concurrency: concurrency.optional(),
  http_options: options.optional(),
  tls_options: options.optional(),
  checks: z.array(httpCheck).optional(),
  machine_checks: z.array(machineCheck).optional(),
});

export const servicePort = z.strictObject({
  port: port.optional(),
  start_port: port.optional(),
  end_port: port.optional(),
  handlers: z.array(z.string()).optional(),
  force_https: z.boolean().optional(),
  http_options: options.optional(),
  tls_options: options.optional(),
  proxy_proto_options: options.optional(),
});

export const service = z.strictObject({
  internal_port: port,
  protocol: z.enum(["tcp", "udp"]),
  force_https: z.boolean().optional(),
  auto_stop_machines: autostop.optional(),
  auto_start_machines: z.boolean().optional(),
  min_machines_running: nonNegativeInt.optional(),
  processes,
  concurrency: concurrency.optional(),
  ports: z.array(servicePort).optional(),
  tcp_checks: z.array(tcpCheck).optional(),
  http_checks: z.array(httpCheck).optional(),
  machine_checks: z.array(machineCheck).optional(),
});

export const mount = z.strictObject({
  source: z.string().regex(/^[a-z0-9_]{1,30}$/, "a volume name is a-z, 0-9 and _, at most 30 characters"),
  destination: z.string().startsWith("/", "an absolute path"),
  initial_size: size.optional(),
  processes,
  auto_extend_size_threshold: z.number().int().min(1).max(100).optional(),
  auto_extend_size_increment: size.optional(),
  auto_extend_size_limit: size.optional(),
  snapshot_retention: positiveInt.optional(),
  scheduled_snapshots: z.boolean().optional(),
});

export const vm = z.strictObject({
  size: z.string().optional(),
  memory: size.optional(),
  memory_mb: positiveInt.optional(),
  cpus: positiveInt.optional(),
  cpu_kind: z.enum(["shared", "performance"]).optional(),
  gpus: positiveInt.optional(),
  gpu_kind: z.string().optional(),
  kernel_args: z.array(z.string()).optional(),
  host_dedication_id: z.string().optional(),
  processes,
});

export const restart = z.strictObject({
  policy: z.enum(["always", "never", "no", "on-failure", "spot-price"]),
  retries: nonNegativeInt.optional(),
  processes,
});

export const file = z.strictObject({
  guest_path: z.string().startsWith("/", "an absolute path"),
  raw_value: z.string().describe("the file's content as plain text (sent base64-encoded)").optional(),
  local_path: z.string().describe("a file of the config repo, relative to this app file").optional(),
  secret_name: z.string().optional(),
  processes,
});

export const staticFiles = z.strictObject({
  guest_path: z.string(),
  url_prefix: z.string(),
  tigris_bucket: z.string().optional(),
  index_document: z.string().optional(),
});

export const metrics = z.strictObject({ port, path: z.string(), https: z.boolean().optional(), processes });

export const deploy = z.strictObject({
  strategy: z.enum(["rolling", "immediate", "canary", "bluegreen"]).optional(),
  max_unavailable: z.number().positive().optional(),
  wait_timeout: z.union([duration, positiveInt]).optional(),
  release_command: z.string().optional(),
  release_command_timeout: duration.optional(),
  release_command_vm: vm.omit({ processes: true }).optional(),
});

export const build = z.strictObject({
  image: z.string().optional(),
  dockerfile: z.string().optional(),
  "build-target": z.string().describe("the Dockerfile stage to build (flyctl's spelling)").optional(),
  build_target: z.string().describe("another name of build-target").optional(),
  args: z.record(z.string(), z.string()).optional(),
  // Buildpacks are refused in validate.ts with a message saying what to use instead.
  builder: z.string().optional(),
  buildpacks: z.array(z.string()).optional(),
});
