import { canonicalJson } from "../base/canonical";

export type PlainObject = Record<string, unknown>;

export function isPlainObject(v: unknown): v is PlainObject {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/**
 * flycd's merge: objects merge key by key, `over` wins for scalars, lists are appended with
 * items already present (by value) left out — except that a table in `over` sharing an identity
 * field (internal_port, id, port, name, source) with one in `base` is merged into it, so defaults
 * for "the service on port 8080" and the app's own do not become two services. Inputs are not changed.
 */
export function deepMerge(base: PlainObject, over: PlainObject): PlainObject {
  const out: PlainObject = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = out[key];
    if (isPlainObject(current) && isPlainObject(value)) out[key] = deepMerge(current, value);
    else if (Array.isArray(current) && Array.isArray(value)) out[key] = mergeLists(current, value);
    else out[key] = value;
  }
  return out;
}

const identityKeys = ["internal_port", "id", "port", "name", "source"];

/** Same identity: they share at least one identity field, and all shared ones are equal scalars. */
function sameIdentity(a: PlainObject, b: PlainObject): boolean {
  const shared = identityKeys.filter((k) => a[k] !== undefined && b[k] !== undefined);
  return shared.length > 0 && shared.every((k) => typeof a[k] !== "object" && a[k] === b[k]);
}

function mergeLists(base: unknown[], more: unknown[]): unknown[] {
  const out = [...base];
  const seen = new Set(base.map((v) => canonicalJson(v)));
  for (const v of more) {
    const twin = isPlainObject(v) ? out.findIndex((b) => isPlainObject(b) && sameIdentity(b, v)) : -1;
    if (twin >= 0) {
      out[twin] = deepMerge(out[twin] as PlainObject, v as PlainObject);
      continue;
    }
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
