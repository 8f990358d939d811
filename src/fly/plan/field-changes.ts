import { canonicalJson } from "../../base/canonical";
import { equivalentValue } from "./equivalent-value";

/** One field that differs: `live` is what Fly runs, `want` what Tower would set (absent: unset). */
export interface FieldChange {
  /** `env.GREETING`, `services[0].ports[1].handlers`. */
  path: string;
  live?: unknown;
  want?: unknown;
}

/**
 * The fields where two configs differ, walking objects key by key and arrays of objects index by
 * index; anything else is a leaf, compared canonically or as an equivalent spelling Fly echoes
 * (see equivalent-value.ts). Both sides come without empty fields (machine-config's `withoutEmpty`).
 */
export function fieldChanges(want: unknown, live: unknown): FieldChange[] {
  const out: FieldChange[] = [];
  walk(want, live, "", "", out);
  return out;
}

function walk(want: unknown, live: unknown, path: string, key: string, out: FieldChange[]): void {
  if (isObject(want) && isObject(live)) {
    for (const k of [...new Set([...Object.keys(live), ...Object.keys(want)])].sort())
      walk(want[k], live[k], path ? `${path}.${k}` : k, k, out);
    return;
  }
  if (Array.isArray(want) && Array.isArray(live) && [...want, ...live].some(isObject)) {
    for (let i = 0; i < Math.max(want.length, live.length); i++) walk(want[i], live[i], `${path}[${i}]`, key, out);
    return;
  }
  if (want === undefined && live === undefined) return;
  if (
    want !== undefined &&
    live !== undefined &&
    (equivalentValue(key, want, live) || canonicalJson(want) === canonicalJson(live))
  )
    return;
  const change: FieldChange = { path };
  if (live !== undefined) change.live = live;
  if (want !== undefined) change.want = want;
  out.push(change);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
