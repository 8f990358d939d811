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
 * null when the text would grow past MAX_SUBSTITUTED_BYTES. Patterns were checked by
 * `unsafePattern` (project-file.ts), so matching runs without catastrophic backtracking.
 */
export function substitute(text: string, common: StackedCommon): string | null {
  let out = text;
  for (const s of common.substitutions) {
    if (unsafePattern(s.pattern) !== null) continue;
    let re: RegExp;
    try {
      re = new RegExp(s.pattern, "g");
    } catch {
      continue; // Reported once per project by readProjectFile; a bad pattern changes nothing.
    }
    // Measure before building: matches × replacement length bounds the output.
    const matches = out.match(re)?.length ?? 0;
    if (out.length + matches * s.replacement.length > MAX_SUBSTITUTED_BYTES) return null;
    out = out.replace(re, s.replacement);
    if (out.length > MAX_SUBSTITUTED_BYTES) return null;
  }
  return out;
}

const MAX_PATTERN_LENGTH = 256;

/**
 * Why a substitution pattern could take more than linear time, or null. JavaScript regexes
 * backtrack, so Tower accepts only patterns without backreferences or lookaround and without a
 * quantifier inside a quantified group (`(a+)+`, `(a|a)*`-style nesting): the shapes whose matching
 * time explodes on hostile input.
 */
export function unsafePattern(pattern: string): string | null {
  if (pattern.length > MAX_PATTERN_LENGTH) return `longer than ${MAX_PATTERN_LENGTH} characters`;
  if (/\\[1-9]|\\k</.test(pattern)) return "backreferences are not allowed";
  if (/\(\?<?[=!]/.test(pattern)) return "lookaround is not allowed";
  // A group (or class) that holds a quantifier, followed by a quantifier of its own.
  const stack: boolean[] = [];
  let quantified = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "\\") {
      i++;
      quantified = false;
      continue;
    }
    if (c === "[") {
      const end = pattern.indexOf("]", i + 2);
      i = end < 0 ? pattern.length : end;
      quantified = false;
      continue;
    }
    if (c === "(") stack.push(false);
    else if (c === ")") {
      const inner = stack.pop() ?? false;
      const next = pattern[i + 1];
      if (inner && (next === "*" || next === "+" || next === "?" || next === "{"))
        return "a quantified group holds a quantifier (nested repetition)";
      if (inner && stack.length > 0) stack[stack.length - 1] = true;
      quantified = false;
      continue;
    } else if (c === "*" || c === "+" || c === "{" || (c === "?" && !quantified)) {
      if (stack.length > 0) stack[stack.length - 1] = true;
      quantified = true;
      continue;
    }
    quantified = false;
  }
  return null;
}

/** flycd's order: defaults < app file < overrides. */
export function applyCommon(app: PlainObject, common: StackedCommon): PlainObject {
  return deepMerge(deepMerge(common.defaults, app), common.overrides);
}
