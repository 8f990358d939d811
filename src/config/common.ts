import { deepMerge, type PlainObject } from "./merge";

/** A project's `common`, stacked with its parents': what every app below it gets. */
export interface StackedCommon {
  defaults: PlainObject;
  overrides: PlainObject;
  /** In order: outer projects' substitutions first. */
  substitutions: { pattern: string; replacement: string; file: string }[];
}

export const emptyCommon: StackedCommon = { defaults: {}, overrides: {}, substitutions: [] };

/** Nested projects stack: the inner project's defaults and overrides win over its parent's. */
export function stackCommon(
  parent: StackedCommon,
  common: { app_defaults?: PlainObject; app_overrides?: PlainObject; substitutions?: Record<string, unknown> },
  file: string,
): StackedCommon {
  return {
    defaults: deepMerge(parent.defaults, common.app_defaults ?? {}),
    overrides: deepMerge(parent.overrides, common.app_overrides ?? {}),
    substitutions: [
      ...parent.substitutions,
      ...Object.entries(common.substitutions ?? {}).map(([pattern, replacement]) => ({
        pattern,
        replacement: String(replacement),
        file,
      })),
    ],
  };
}

/** Applies substitutions (regex → string, every match) to an app file's raw text, in order. */
export function substitute(text: string, common: StackedCommon): string {
  let out = text;
  for (const s of common.substitutions) {
    try {
      out = out.replace(new RegExp(s.pattern, "g"), s.replacement);
    } catch {
      // Reported once per project by checkSubstitutions; a bad pattern changes nothing.
    }
  }
  return out;
}

/** flycd's order: defaults < app file < overrides. */
export function applyCommon(app: PlainObject, common: StackedCommon): PlainObject {
  return deepMerge(deepMerge(common.defaults, app), common.overrides);
}
