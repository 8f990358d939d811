import { isPlainObject, type PlainObject } from "../merge";

/** The app's process groups: the keys of `[processes]`, or flyctl's single group "app". */
export function processGroups(cfg: PlainObject): string[] {
  return isPlainObject(cfg.processes) && Object.keys(cfg.processes).length > 0 ? Object.keys(cfg.processes) : ["app"];
}

/** A section with `processes = [...]` applies to those groups only; without it, to all. */
export function appliesTo(section: unknown, group: string): boolean {
  if (!isPlainObject(section) || !Array.isArray(section.processes) || section.processes.length === 0) return true;
  return section.processes.includes(group);
}

/** A section that may be one table or a list of tables (`[mounts]` / `[[mounts]]`), as a list. */
export function list(value: unknown): PlainObject[] {
  if (Array.isArray(value)) return value.filter(isPlainObject);
  return isPlainObject(value) ? [value] : [];
}

/** Copies the fields that are set, leaving out undefined ones (stable, minimal configs). */
export function pick<T extends object>(source: PlainObject, fields: readonly string[]): Partial<T> {
  const out: PlainObject = {};
  for (const f of fields) if (source[f] !== undefined) out[f] = source[f];
  return out as Partial<T>;
}
