/** Secret values for a deploy, from the Worker env (or raw test values). Errors name, never show, values. */
import type { SecretRef } from "../../config/resolved-app";

export type SecretResolution = { values: Record<string, string> } | { reason: string };

export function resolveSecrets(refs: SecretRef[], env: Record<string, unknown>): SecretResolution {
  const values: Record<string, string> = {};
  const missing: string[] = [];
  for (const ref of refs) {
    const value = ref.from === "raw" ? ref.value : env[ref.key];
    if (typeof value === "string") values[ref.name] = value;
    else missing.push(ref.from === "env" ? `${ref.name} (env ${ref.key})` : ref.name);
  }
  if (missing.length > 0) return { reason: `secrets not set in the Worker env: ${missing.join(", ")}` };
  return { values };
}
