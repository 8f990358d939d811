/**
 * A project's `allow:` rule (limits its parent sets on the apps of a nested project), and the one
 * way its `apps` pattern is matched: at evaluation for apps, and when a pull request names a preview.
 */
export interface AllowRule {
  /** Where the rule is written (`file:line`), for messages. */
  at: string;
  apps?: string;
  orgs?: string[];
  /** Worker variables the project's apps may read as secrets (patterns); absent: no limit here. */
  secrets?: string[];
}

/** Whether `name` fits an `allow.apps` or `allow.secrets` pattern (`*` is any run of characters). */
export function fitsPattern(pattern: string, name: string): boolean {
  // The schema allows only [A-Za-z0-9_-] and `*` in a pattern, so nothing else needs escaping.
  return new RegExp(`^${pattern.replaceAll("*", ".*")}$`).test(name);
}

/**
 * Why app `name` may not read Worker variable `key` under `rule`, or null. The secret policy
 * (secret-policy.ts) marks what any app may read; a team's repo fenced by `allow` must not read
 * the variables meant for another team's apps.
 */
export function outsideSecrets(rule: AllowRule, name: string, key: string): string | null {
  if (rule.secrets === undefined || rule.secrets.some((pattern) => fitsPattern(pattern, key))) return null;
  return `app ${name} may not read ${key}: outside what ${rule.at} allows: allow.secrets [${rule.secrets.join(", ")}]`;
}

/** Why an app named `name` in `org` breaks `rule` (naming the rule), or null. */
export function outsideRule(rule: AllowRule, name: string, org: string | undefined): string | null {
  if (rule.apps !== undefined && !fitsPattern(rule.apps, name))
    return `app ${name} is outside what ${rule.at} allows: allow.apps "${rule.apps}"`;
  if (org !== undefined && rule.orgs !== undefined && !rule.orgs.includes(org))
    return `app ${name} is in org ${org}, outside what ${rule.at} allows: allow.orgs [${rule.orgs.join(", ")}]`;
  return null;
}
