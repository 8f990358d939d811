/** Secret values for a deploy, from the Worker env (or raw test values). Errors name, never show, values. */
import type { SecretRef } from "../../config/resolved-app";
import { appSecretPolicy, refusedAppSecret } from "../../config/secret-policy";

export type SecretResolution = { values: Record<string, string> } | { reason: string };

/**
 * Evaluation already refused variables apps may not read; this checks again at the point of
 * reading, so a resolved app stored before the rule (or by a bug) still cannot take one.
 */
export function resolveSecrets(refs: SecretRef[], env: Record<string, unknown>): SecretResolution {
  const policy = appSecretPolicy({
    APP_SECRET_PREFIX: typeof env.APP_SECRET_PREFIX === "string" ? env.APP_SECRET_PREFIX : undefined,
    APP_SECRETS: typeof env.APP_SECRETS === "string" ? env.APP_SECRETS : undefined,
  });
  const values: Record<string, string> = {};
  const missing: string[] = [];
  const refused: string[] = [];
  for (const ref of refs) {
    const why = ref.from === "env" ? refusedAppSecret(ref.key, policy) : null;
    if (why !== null) {
      refused.push(`${ref.name}: ${why}`);
      continue;
    }
    const value = ref.from === "raw" ? ref.value : env[ref.key];
    if (typeof value === "string") values[ref.name] = value;
    else missing.push(ref.from === "env" ? `${ref.name} (env ${ref.key})` : ref.name);
  }
  if (refused.length > 0) return { reason: `secrets refused: ${refused.join("; ")}` };
  if (missing.length > 0) return { reason: `secrets not set in the Worker env: ${missing.join(", ")}` };
  return { values };
}
