import { canonicalJson } from "../../base/canonical";
import { equivalentForm } from "./config-equivalence";

/** One field that differs: `live` is what Fly runs, `want` what Tower would set (absent: unset). */
export interface FieldChange {
  /** `env.GREETING`, `services[0].ports[1].handlers`. */
  path: string;
  live?: unknown;
  want?: unknown;
}

/**
 * The fields where two configs differ, walking objects key by key and arrays of objects index by
 * index; anything else is a leaf, equal when `equivalentForm` makes it so (Fly's own spellings,
 * config-equivalence.ts), with the user's own maps (env, metadata) compared as written, as there.
 * Both sides come without empty fields (machine-config's `withoutEmpty`).
 */
export function fieldChanges(want: unknown, live: unknown): FieldChange[] {
  const out: FieldChange[] = [];
  walk(want, live, { path: "", key: "", plain: false }, out);
  return out;
}

const USER_MAPS = new Set(["env", "metadata"]);

interface At {
  path: string;
  key: string;
  /** Inside env or metadata: no spelling is Fly's there. */
  plain: boolean;
}

function walk(want: unknown, live: unknown, at: At, out: FieldChange[]): void {
  if (isObject(want) && isObject(live)) {
    const plain = at.plain || USER_MAPS.has(at.key);
    for (const k of [...new Set([...Object.keys(live), ...Object.keys(want)])].sort())
      walk(want[k], live[k], { path: at.path ? `${at.path}.${k}` : k, key: k, plain }, out);
    return;
  }
  if (Array.isArray(want) && Array.isArray(live) && [...want, ...live].some(isObject)) {
    for (let i = 0; i < Math.max(want.length, live.length); i++)
      walk(want[i], live[i], { path: `${at.path}[${i}]`, key: "", plain: at.plain }, out);
    return;
  }
  if (want === undefined && live === undefined) return;
  if (want !== undefined && live !== undefined && same(want, live, at)) return;
  const change: FieldChange = { path: at.path };
  if (live !== undefined) change.live = live;
  if (want !== undefined) change.want = want;
  out.push(change);
}

function same(want: unknown, live: unknown, at: At): boolean {
  if (at.plain) return canonicalJson(want) === canonicalJson(live);
  return canonicalJson(equivalentForm(want, at.key)) === canonicalJson(equivalentForm(live, at.key));
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
