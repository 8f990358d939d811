import type { FlyMachineCheck } from "../fly-machine-config";
import { isPlainObject, type PlainObject } from "../merge";
import { appliesTo } from "./groups";
import { check } from "./services";

/**
 * `[checks.<name>]` → top-level `checks{name}`; no port → the internal port of the http_service of
 * the same group (flyctl machines.go `updateMachineConfig`; extra-checks.ts refuses a check that
 * has neither).
 */
export function checksFor(cfg: PlainObject, group: string): Record<string, FlyMachineCheck> | undefined {
  if (!isPlainObject(cfg.checks)) return undefined;
  const fallback = httpServicePort(cfg, group);
  const out: Record<string, FlyMachineCheck> = {};
  for (const [name, c] of Object.entries(cfg.checks)) {
    if (!isPlainObject(c) || !appliesTo(cfg, c, group)) continue;
    const type = c.type === "tcp" ? "tcp" : "http";
    const port = (c.port as number | undefined) ?? fallback;
    const built = check(type, c, port) as FlyMachineCheck;
    if (c.kind !== undefined) built.kind = c.kind as FlyMachineCheck["kind"];
    out[name] = built;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The internal port of the http_service that applies to `group`, if one does. */
export function httpServicePort(cfg: PlainObject, group: string): number | undefined {
  const s = cfg.http_service;
  return isPlainObject(s) && appliesTo(cfg, s, group) ? (s.internal_port as number) : undefined;
}
