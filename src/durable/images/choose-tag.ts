/**
 * The newest tag that fits a policy, and why: pure, so the API can show the same reasoning the
 * scan acted on. semver tags may carry a leading `v` (`v1.4.2`); among tags naming the same
 * version the plain spelling wins, then the shorter. Patterns run in RE2 (linear in the tag).
 */

import { RE2JS } from "re2js";
import semver from "semver";
import { describePolicy, type ImagePolicy } from "../../config/image-policy";

export interface TagChoice {
  /** The chosen tag, or undefined when none fits. */
  tag?: string;
  /** One sentence: what was chosen out of what, by which rule. */
  why: string;
  /** Tags that fit the policy. */
  fitting: number;
}

export function chooseTag(policy: ImagePolicy, tags: readonly string[]): TagChoice {
  const rule = describePolicy(policy);
  const ranked = policy.kind === "semver" ? rankSemver(policy.range, tags) : rankPattern(policy, tags);
  const best = ranked[0];
  if (!best) return { why: `no tag of ${tags.length} fits ${rule}`, fitting: 0 };
  const of = ranked.length === 1 ? "the only tag" : `the newest of ${ranked.length} tags`;
  return { tag: best, why: `${best}: ${of} fitting ${rule} (${tags.length} seen)`, fitting: ranked.length };
}

function rankSemver(range: string, tags: readonly string[]): string[] {
  const fits = tags
    .map((tag) => ({ tag, version: semver.valid(tag) }))
    .filter((t): t is { tag: string; version: string } => t.version !== null && semver.satisfies(t.version, range));
  return fits
    .sort(
      (a, b) =>
        semver.rcompare(a.version, b.version) ||
        Number(a.tag.startsWith("v")) - Number(b.tag.startsWith("v")) ||
        a.tag.length - b.tag.length ||
        (a.tag < b.tag ? -1 : 1),
    )
    .map((t) => t.tag);
}

function rankPattern(policy: Extract<ImagePolicy, { kind: "pattern" }>, tags: readonly string[]): string[] {
  const re = RE2JS.compile(policy.pattern);
  const keyed: { tag: string; key: string; n: number }[] = [];
  for (const tag of tags) {
    const m = re.matcher(tag);
    if (!m.find()) continue;
    const key = policy.by ? m.group(policy.by) : tag;
    if (key === null || key === undefined) continue;
    const n = policy.order === "numeric" ? Number(key) : 0;
    if (policy.order === "numeric" && (key === "" || !Number.isFinite(n))) continue;
    keyed.push({ tag, key, n });
  }
  const byKey = (a: string, b: string) => (a < b ? 1 : a > b ? -1 : 0);
  return keyed
    .sort((a, b) => (policy.order === "numeric" ? b.n - a.n : 0) || byKey(a.key, b.key) || byKey(a.tag, b.tag))
    .map((t) => t.tag);
}
