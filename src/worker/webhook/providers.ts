/**
 * The hosts Tower tells apart by headers, most specific first: Gitea/Forgejo also send GitHub's
 * headers, so they are checked before GitHub.
 */
import { bitbucket } from "./bitbucket";
import type { Delivery, Provider } from "./delivery";
import { gitea } from "./gitea";
import { github } from "./github";
import { gitlab } from "./gitlab";

export const PROVIDERS: readonly Provider[] = [gitlab, bitbucket, gitea, github];

export function identify(headers: Headers): { provider: Provider; delivery: Delivery } | null {
  for (const provider of PROVIDERS) {
    const delivery = provider.identify(headers);
    if (delivery) return { provider, delivery };
  }
  return null;
}
