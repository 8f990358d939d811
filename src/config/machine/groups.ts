import { isPlainObject, type PlainObject } from "../merge";

/** The app's process groups: the keys of `[processes]`, or flyctl's single group "app". */
export function processGroups(cfg: PlainObject): string[] {
  return isPlainObject(cfg.processes) && Object.keys(cfg.processes).length > 0 ? Object.keys(cfg.processes) : ["app"];
}

/**
 * The group that sections without `processes` belong to: "app" when there is one, else the first
 * name in ascending order (flyctl internal/appconfig/processgroups.go `DefaultProcessName`).
 */
export function defaultGroup(cfg: PlainObject): string {
  const groups = processGroups(cfg);
  return groups.includes("app") ? "app" : [...groups].sort()[0]!;
}

/**
 * Whether a section applies to `group`: with `processes = [...]`, to those groups; without, to the
 * default group only (flyctl processgroups.go `flattenGroupsMatch`), so a worker group does not get
 * the web group's services, checks, mounts or files.
 */
export function appliesTo(cfg: PlainObject, section: unknown, group: string): boolean {
  const named = isPlainObject(section) && Array.isArray(section.processes) ? section.processes : [];
  return named.length === 0 ? group === defaultGroup(cfg) : named.includes(group);
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
