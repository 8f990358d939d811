import { RE2JS } from "re2js";
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

/** The largest app text substitutions may produce: a few matches of `.` → a long string cannot fill memory. */
export const MAX_SUBSTITUTED_BYTES = 1024 * 1024;

/**
 * Applies substitutions (regex → string, every match) to an app file's raw text, in order. Returns
 * null when the text would grow past MAX_SUBSTITUTED_BYTES. Patterns run in RE2 (re2js): matching
 * is linear in the text whatever the pattern, so a hostile `(a+)+$` costs no more than `a`. The
 * replacement reads as JavaScript's `String.replace` does (`$1`, `$&`, `$$`), as in flycd.
 */
export function substitute(text: string, common: StackedCommon): string | null {
  let out = text;
  for (const s of common.substitutions) {
    const re = compilePattern(s.pattern);
    if (typeof re === "string") continue; // Reported once per project by readProjectFile.
    // Measure before building: matches × replacement length bounds the output.
    let matches = 0;
    for (const m = re.matcher(out); m.find(); ) matches++;
    if (out.length + matches * s.replacement.length > MAX_SUBSTITUTED_BYTES) return null;
    out = re.matcher(out).replaceAll(s.replacement);
    if (out.length > MAX_SUBSTITUTED_BYTES) return null;
  }
  return out;
}

const MAX_PATTERN_LENGTH = 256;

/** The compiled pattern, or why it is refused (too long, or not RE2: backreferences, lookaround). */
export function compilePattern(pattern: string): RE2JS | string {
  if (pattern.length > MAX_PATTERN_LENGTH) return `regex refused: longer than ${MAX_PATTERN_LENGTH} characters`;
  try {
    return RE2JS.compile(pattern);
  } catch (err) {
    const why = (err as Error).message.slice(0, 120);
    return `regex does not compile in RE2 (linear time: no backreferences or lookaround): ${why}`;
  }
}

/** flycd's order: defaults < app file < overrides. */
export function applyCommon(app: PlainObject, common: StackedCommon): PlainObject {
  return deepMerge(deepMerge(common.defaults, app), common.overrides);
}
