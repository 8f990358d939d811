import { canonicalHash } from "../base/canonical";
import type { ResolvedApp } from "./resolved-app";

/** Bump when the meaning of a resolved app changes, so every app redeploys once. */
const HASH_VERSION = 1;

/**
 * The app's config hash: everything that shapes its deploy — merged config (so parents' defaults
 * and overrides count), regions, org, source, secret names and the digest of their values. Secret
 * values never enter. Key order and formatting of the files do not matter.
 */
export function configHashOf(app: Omit<ResolvedApp, "configHash">): string {
  return `sha256:${canonicalHash({
    v: HASH_VERSION,
    name: app.name,
    org: app.org,
    regions: app.regions,
    source: app.source,
    config: app.config,
    secrets: app.secrets.map((s) => (s.from === "env" ? { name: s.name, env: s.key } : { name: s.name, raw: true })),
    secretsDigest: app.secretsDigest,
  })}`;
}
