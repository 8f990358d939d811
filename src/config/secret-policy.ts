/**
 * Which Worker variables an app may read as secrets. Config comes from repos other teams own, and
 * an app's image can print whatever it is given, so Tower's own settings (its Fly token, git
 * credentials, API and webhook secrets) are never readable, and beyond that only the variables
 * the operator marked for apps are: a name prefix (default `APP_SECRET_`) or an explicit list.
 */
import { isTowerSetting } from "../env";

export interface AppSecretPolicy {
  /** Variables whose names start with this are app secrets; "" marks none by prefix. */
  prefix: string;
  /** Variables named here are app secrets too. */
  allow: string[];
}

export const DEFAULT_APP_SECRET_PREFIX = "APP_SECRET_";

/** The policy from the Worker's (or the CLI's) settings `APP_SECRET_PREFIX` and `APP_SECRETS`. */
export function appSecretPolicy(settings: { APP_SECRET_PREFIX?: string; APP_SECRETS?: string }): AppSecretPolicy {
  const allow = (settings.APP_SECRETS ?? "")
    .split(",")
    .map((name) => name.trim())
    .filter((name) => name !== "");
  return { prefix: settings.APP_SECRET_PREFIX ?? DEFAULT_APP_SECRET_PREFIX, allow };
}

/** Why an app may not read Worker variable `key`, or null when it may. */
export function refusedAppSecret(key: string, policy: AppSecretPolicy): string | null {
  if (isTowerSetting(key)) return `${key} is one of Tower's own settings and is never given to an app`;
  if (policy.allow.includes(key) || (policy.prefix !== "" && key.startsWith(policy.prefix))) return null;
  const prefix = policy.prefix === "" ? "" : `start its name with ${policy.prefix} or `;
  return `${key} is not marked for apps: ${prefix}list it in APP_SECRETS`;
}
