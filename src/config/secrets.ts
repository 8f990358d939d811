import { isPlainObject } from "./merge";
import type { ResolvedApp, SecretRef } from "./resolved-app";

/** app.yaml `secrets` (flycd's format) → references. `env` defaults to the secret's name. */
export function secretRefs(list: unknown): SecretRef[] {
  if (!Array.isArray(list)) return [];
  return list.filter(isPlainObject).map((s) => {
    const name = String(s.name);
    if (s.type === "raw") return { name, from: "raw", value: String(s.raw ?? "") };
    return { name, from: "env", key: typeof s.env === "string" ? s.env : name };
  });
}

/** The values an app's secrets have now; `missing` names the ones whose env var is not set. */
export function resolveSecrets(
  app: Pick<ResolvedApp, "secrets">,
  lookup: (key: string) => string | undefined,
): { values: Record<string, string>; missing: string[] } {
  const values: Record<string, string> = {};
  const missing: string[] = [];
  for (const ref of app.secrets) {
    const value = ref.from === "raw" ? ref.value : lookup(ref.key);
    if (value === undefined) missing.push(ref.name);
    else values[ref.name] = value;
  }
  return { values, missing };
}
