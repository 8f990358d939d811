/**
 * The subset of Fly's machine config that Tower produces, with names exactly as in Fly's Machines
 * API description (`fly.MachineConfig` and the schemas it references). Produced by `src/config`
 * from an app's resolved config, consumed by the planner and executor in `src/fly`.
 */
export interface FlyMachineGuest {
  cpu_kind: "shared" | "performance";
  cpus: number;
  memory_mb: number;
  gpu_kind?: string;
  gpus?: number;
  kernel_args?: string[];
  host_dedication_id?: string;
}

export interface FlyMachinePort {
  port?: number;
  start_port?: number;
  end_port?: number;
  handlers?: string[];
  force_https?: boolean;
  http_options?: Record<string, unknown>;
  tls_options?: Record<string, unknown>;
  proxy_proto_options?: Record<string, unknown>;
}

export interface FlyMachineServiceCheck {
  type?: "http" | "tcp";
  port?: number;
  interval?: string;
  timeout?: string;
  grace_period?: string;
  method?: string;
  path?: string;
  protocol?: string;
  tls_server_name?: string;
  tls_skip_verify?: boolean;
  headers?: { name: string; values: string[] }[];
}

export interface FlyMachineService {
  protocol: "tcp" | "udp";
  internal_port: number;
  ports?: FlyMachinePort[];
  checks?: FlyMachineServiceCheck[];
  concurrency?: { type?: "connections" | "requests"; hard_limit?: number; soft_limit?: number };
  autostop?: "off" | "stop" | "suspend";
  autostart?: boolean;
  min_machines_running?: number;
  force_instance_key?: string;
}

export interface FlyMachineCheck extends FlyMachineServiceCheck {
  type: "http" | "tcp";
  port: number;
  kind?: "informational" | "readiness";
}

export interface FlyMachineMount {
  /** Volume id (`vol_…`): filled in by the planner, which picks or creates the volume. */
  volume?: string;
  /** Volume name, from fly.toml `[mounts] source`. */
  name: string;
  path: string;
  size_gb?: number;
  encrypted?: boolean;
  add_size_gb?: number;
  size_gb_limit?: number;
  extend_threshold_percent?: number;
}

export interface FlyFile {
  guest_path: string;
  raw_value?: string;
  secret_name?: string;
  mode?: number;
}

export interface FlyMachineConfig {
  image: string;
  env?: Record<string, string>;
  init?: { cmd?: string[]; entrypoint?: string[]; exec?: string[]; tty?: boolean; swap_size_mb?: number };
  guest?: FlyMachineGuest;
  services?: FlyMachineService[];
  checks?: Record<string, FlyMachineCheck>;
  mounts?: FlyMachineMount[];
  restart?: { policy?: "no" | "always" | "on-failure" | "spot-price"; max_retries?: number };
  files?: FlyFile[];
  statics?: { guest_path: string; url_prefix: string; tigris_bucket?: string; index_document?: string }[];
  metrics?: { port: number; path: string; https?: boolean };
  stop_config?: { signal?: string; timeout?: string };
  metadata?: Record<string, string>;
  auto_destroy?: boolean;
  schedule?: string;
  dns?: { skip_registration?: boolean; nameservers?: string[]; searches?: string[]; [key: string]: unknown };
  /**
   * Fields Tower does not model, from `[experimental] machine_config` (flyctl takes that JSON as the
   * base every fly.toml field is laid over): passed to Fly as written.
   */
  [key: string]: unknown;
}
