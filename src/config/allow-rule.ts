/**
 * A project's `allow:` rule (limits its parent sets on the apps of a nested project), and the one
 * way its `apps` pattern is matched: at evaluation for apps, and when a pull request names a preview.
 */
export interface AllowRule {
  /** Where the rule is written (`file:line`), for messages. */
  at: string;
  apps?: string;
  orgs?: string[];
}

/** Whether `name` fits an `allow.apps` pattern (`*` is any run of characters). */
export function fitsApps(pattern: string, name: string): boolean {
  // The schema allows only [a-z0-9-] and `*` in a pattern, so nothing else needs escaping.
  return new RegExp(`^${pattern.replaceAll("*", ".*")}$`).test(name);
}

/** Why an app named `name` in `org` breaks `rule` (naming the rule), or null. */
export function outsideRule(rule: AllowRule, name: string, org: string | undefined): string | null {
  if (rule.apps !== undefined && !fitsApps(rule.apps, name))
    return `app ${name} is outside what ${rule.at} allows: allow.apps "${rule.apps}"`;
  if (org !== undefined && rule.orgs !== undefined && !rule.orgs.includes(org))
    return `app ${name} is in org ${org}, outside what ${rule.at} allows: allow.orgs [${rule.orgs.join(", ")}]`;
  return null;
}
