/**
 * Which secret verifies a delivery. One shared WEBHOOK_SECRET would let anyone who sees it (GitLab
 * sends it in clear, in a header) sign GitHub deliveries too, so WEBHOOK_SECRETS may give each
 * provider, or each repo, its own: a repo's own secret wins over its provider's, and either one
 * replaces the shared secret for what it covers.
 */
import { normaliseRepoUrl } from "../../git/repo-url";
import { RequestError } from "../errors";
import type { ProviderName } from "./delivery";

export interface WebhookSecrets {
  /** WEBHOOK_SECRET, then WEBHOOK_SECRET_PREVIOUS while rotating. */
  shared: string[];
  /** Provider name → its secrets (current first). */
  byProvider: Partial<Record<ProviderName, string[]>>;
  /** Repo key (`host/owner/name`) → its secrets (current first). */
  byRepo: Record<string, string[]>;
}

export interface ChosenSecrets {
  secrets: string[];
  /** The setting they come from, for refusals (never the value). */
  setting: string;
}

const PROVIDERS = new Set<string>(["github", "gitea", "gitlab", "bitbucket"]);

/** Reads the settings; a malformed WEBHOOK_SECRETS refuses every delivery rather than guess. */
export function webhookSecrets(env: {
  WEBHOOK_SECRET?: string;
  WEBHOOK_SECRET_PREVIOUS?: string;
  WEBHOOK_SECRETS?: string;
}): WebhookSecrets {
  const shared = [env.WEBHOOK_SECRET, env.WEBHOOK_SECRET_PREVIOUS].filter((s): s is string => !!s);
  const result: WebhookSecrets = { shared, byProvider: {}, byRepo: {} };
  if (!env.WEBHOOK_SECRETS) return result;
  let parsed: unknown;
  try {
    parsed = JSON.parse(env.WEBHOOK_SECRETS);
  } catch {
    throw notConfigured("WEBHOOK_SECRETS is not valid JSON");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    throw notConfigured('WEBHOOK_SECRETS must be a JSON object {"<provider> or <host/owner/name>": "<secret>"}');
  for (const [name, value] of Object.entries(parsed)) {
    const list = (Array.isArray(value) ? value : [value]).filter((s): s is string => typeof s === "string" && s !== "");
    if (list.length === 0) throw notConfigured(`WEBHOOK_SECRETS entry "${name}" has no secret`);
    if (PROVIDERS.has(name)) result.byProvider[name as ProviderName] = list;
    else {
      let key: string;
      try {
        key = normaliseRepoUrl(name);
      } catch {
        throw notConfigured(`WEBHOOK_SECRETS entry "${name}" is neither a provider nor a repo`);
      }
      result.byRepo[key] = list;
    }
  }
  return result;
}

export function anySecret(secrets: WebhookSecrets): boolean {
  return (
    secrets.shared.length > 0 || Object.keys(secrets.byProvider).length > 0 || Object.keys(secrets.byRepo).length > 0
  );
}

/** The secrets that may sign a delivery from `provider` about `repo` (null: repo not known yet). */
export function secretsFor(secrets: WebhookSecrets, provider: ProviderName, repo: string | null): ChosenSecrets {
  const own = repo === null ? undefined : secrets.byRepo[repo];
  if (own) return { secrets: own, setting: `WEBHOOK_SECRETS["${repo}"]` };
  const theirs = secrets.byProvider[provider];
  if (theirs) return { secrets: theirs, setting: `WEBHOOK_SECRETS["${provider}"]` };
  return { secrets: secrets.shared, setting: "WEBHOOK_SECRET" };
}

function notConfigured(message: string): RequestError {
  return new RequestError("webhook_not_configured", message);
}
