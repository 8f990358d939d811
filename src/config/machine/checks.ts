import type { FlyMachineCheck } from "../fly-machine-config";
import { isPlainObject, type PlainObject } from "../merge";
import { appliesTo } from "./groups";
import { check } from "./services";

/** `[checks.<name>]` → top-level `checks{name}`; no port → the http_service's internal port. */
export function checksFor(cfg: PlainObject, group: string): Record<string, FlyMachineCheck> | undefined {
  if (!isPlainObject(cfg.checks)) return undefined;
  const fallback = isPlainObject(cfg.http_service) ? (cfg.http_service.internal_port as number) : undefined;
  const out: Record<string, FlyMachineCheck> = {};
  for (const [name, c] of Object.entries(cfg.checks)) {
    if (!isPlainObject(c) || !appliesTo(c, group)) continue;
    const type = c.type === "tcp" ? "tcp" : "http";
    const port = (c.port as number | undefined) ?? fallback;
    const built = check(type, c, port) as FlyMachineCheck;
    if (c.kind !== undefined) built.kind = c.kind as FlyMachineCheck["kind"];
    out[name] = built;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}
