import type { FlyMachineService, FlyMachineServiceCheck } from "../fly-machine-config";
import { isPlainObject, type PlainObject } from "../merge";
import { appliesTo, list, pick } from "./groups";

const checkFields = [
  "interval",
  "timeout",
  "grace_period",
  "method",
  "path",
  "protocol",
  "tls_skip_verify",
  "tls_server_name",
];
const portFields = [
  "port",
  "start_port",
  "end_port",
  "handlers",
  "force_https",
  "http_options",
  "tls_options",
  "proxy_proto_options",
];

/** fly.toml check headers `{name = "v"}` → the API's `[{name, values}]`. */
export function headers(value: unknown): FlyMachineServiceCheck["headers"] {
  if (!isPlainObject(value)) return undefined;
  return Object.entries(value).map(([name, v]) => ({ name, values: Array.isArray(v) ? v.map(String) : [String(v)] }));
}

export function check(type: "http" | "tcp", c: PlainObject, port?: number): FlyMachineServiceCheck {
  const out: FlyMachineServiceCheck = { type, ...pick<FlyMachineServiceCheck>(c, checkFields) };
  if (port !== undefined) out.port = port;
  const h = headers(c.headers);
  if (h) out.headers = h;
  return out;
}

function autostop(v: unknown): FlyMachineService["autostop"] {
  if (v === true) return "stop";
  if (v === false) return "off";
  return v as FlyMachineService["autostop"];
}

function common(s: PlainObject): Partial<FlyMachineService> {
  const out: Partial<FlyMachineService> = {};
  if (s.auto_stop_machines !== undefined) out.autostop = autostop(s.auto_stop_machines);
  if (s.auto_start_machines !== undefined) out.autostart = s.auto_start_machines as boolean;
  if (s.min_machines_running !== undefined) out.min_machines_running = s.min_machines_running as number;
  if (s.concurrency !== undefined) out.concurrency = s.concurrency as FlyMachineService["concurrency"];
  return out;
}

/** `[http_service]`: tcp on internal_port, 80 → http (force_https), 443 → http+tls, http checks. */
function httpService(s: PlainObject): FlyMachineService {
  const port = s.internal_port as number;
  const p80: PlainObject = { port: 80, handlers: ["http"], force_https: s.force_https, http_options: s.http_options };
  const p443: PlainObject = {
    port: 443,
    handlers: ["http", "tls"],
    http_options: s.http_options,
    tls_options: s.tls_options,
  };
  const out: FlyMachineService = {
    protocol: "tcp",
    internal_port: port,
    ...common(s),
    ports: [pick(p80, portFields), pick(p443, portFields)],
  };
  const checks = list(s.checks).map((c) => check("http", c, port));
  if (checks.length > 0) out.checks = checks;
  return out;
}

/** `[[services]]`: copied; `tcp_checks` and `http_checks` become its `checks`. */
function service(s: PlainObject): FlyMachineService {
  const out: FlyMachineService = {
    protocol: s.protocol as FlyMachineService["protocol"],
    internal_port: s.internal_port as number,
    ...common(s),
  };
  if (Array.isArray(s.ports)) out.ports = list(s.ports).map((p) => pick(p, portFields));
  const checks = [
    ...list(s.tcp_checks).map((c) => check("tcp", c)),
    ...list(s.http_checks).map((c) => check("http", c)),
  ];
  if (checks.length > 0) out.checks = checks;
  return out;
}

export function servicesFor(cfg: PlainObject, group: string): FlyMachineService[] {
  const out: FlyMachineService[] = [];
  if (isPlainObject(cfg.http_service) && appliesTo(cfg, cfg.http_service, group))
    out.push(httpService(cfg.http_service));
  for (const s of list(cfg.services)) if (appliesTo(cfg, s, group)) out.push(service(s));
  return out;
}
