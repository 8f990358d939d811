import { canonicalJson } from "./canonical";

export type PlainObject = Record<string, unknown>;

export function isPlainObject(v: unknown): v is PlainObject {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/**
 * flycd's merge: objects merge key by key, `over` wins for scalars, lists are appended with
 * items already present (by value) left out. Neither input is changed.
 */
export function deepMerge(base: PlainObject, over: PlainObject): PlainObject {
  const out: PlainObject = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = out[key];
    if (isPlainObject(current) && isPlainObject(value)) out[key] = deepMerge(current, value);
    else if (Array.isArray(current) && Array.isArray(value)) out[key] = appendUnique(current, value);
    else out[key] = value;
  }
  return out;
}

function appendUnique(base: unknown[], more: unknown[]): unknown[] {
  const seen = new Set(base.map((v) => canonicalJson(v)));
  const out = [...base];
  for (const v of more) {
    const key = canonicalJson(v);
    if (!seen.has(key)) {
      seen.add(key);
      out.push(v);
    }
  }
  return out;
}

/** True when `path` names something in `value`. */
export function hasPath(value: unknown, path: readonly (string | number)[]): boolean {
  let node = value;
  for (const seg of path) {
    if (Array.isArray(node) && typeof seg === "number" && seg < node.length) node = node[seg];
    else if (isPlainObject(node) && Object.hasOwn(node, String(seg))) node = node[String(seg)];
    else return false;
  }
  return true;
}
