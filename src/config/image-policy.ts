/**
 * Image policies: which tags of an image an app follows (Flux's ImagePolicy, in app.yaml's
 * `source.policy`). `semver` takes a range (pre-releases follow semver's rules: `^1.4` never picks
 * `1.5.0-rc.1`, `^1.5.0-rc.0` may); `pattern` takes a regular expression run by RE2 (linear time,
 * whatever the tag), ordered `numeric` or `alphabetical` by the whole tag or a named group `by`.
 * The newest fitting tag wins.
 */
import { RE2JS } from "re2js";
import semver from "semver";

export type ImagePolicy = (
  | { kind: "semver"; range: string }
  | { kind: "pattern"; pattern: string; order: "numeric" | "alphabetical"; by?: string }
) & {
  /** false: deploy new digests without committing them (git and Fly then differ on purpose). */
  writeBack: boolean;
  /** true: the image stays at its pinned tag and digest. */
  suspend: boolean;
};

export const POLICY_LIMITS = { maxPattern: 256, maxRange: 256 };

/** The problem with a policy's fields, or undefined: the schema's refinement and a guard for readers. */
export function policyProblem(p: {
  semver?: string;
  pattern?: string;
  order?: string;
  by?: string;
}): { field: string; message: string } | undefined {
  if ((p.semver === undefined) === (p.pattern === undefined)) {
    return { field: "semver", message: "a policy gives one of semver or pattern" };
  }
  if (p.semver !== undefined) {
    if (p.order !== undefined || p.by !== undefined) return { field: "order", message: "order and by go with pattern" };
    if (p.semver.length > POLICY_LIMITS.maxRange || semver.validRange(p.semver) === null) {
      return { field: "semver", message: `"${p.semver.slice(0, 80)}" is not a semver range` };
    }
    return undefined;
  }
  const pattern = p.pattern ?? "";
  if (pattern.length > POLICY_LIMITS.maxPattern) {
    return { field: "pattern", message: `a pattern is at most ${POLICY_LIMITS.maxPattern} characters` };
  }
  let groups: Record<string, number>;
  try {
    groups = RE2JS.compile(pattern).namedGroups();
  } catch (err) {
    // RE2 refuses what it cannot match in linear time (backreferences, lookaround).
    return { field: "pattern", message: `not a pattern RE2 accepts: ${(err as Error).message.slice(0, 120)}` };
  }
  if (p.by !== undefined && !(p.by in groups)) {
    return { field: "by", message: `the pattern has no named group (?<${p.by}>…)` };
  }
  return undefined;
}

/** The policy in an app's `source`, normalised; undefined when the source has none. */
export function readImagePolicy(source: Record<string, unknown> | undefined): ImagePolicy | undefined {
  const raw = source?.policy as
    | { semver?: string; pattern?: string; order?: string; by?: string; write_back?: boolean; suspend?: boolean }
    | undefined;
  if (!raw || typeof raw !== "object" || policyProblem(raw)) return undefined;
  const common = { writeBack: raw.write_back !== false, suspend: raw.suspend === true };
  if (raw.semver !== undefined) return { kind: "semver", range: raw.semver, ...common };
  return {
    kind: "pattern",
    pattern: raw.pattern ?? "",
    order: raw.order === "numeric" ? "numeric" : "alphabetical",
    ...(raw.by ? { by: raw.by } : {}),
    ...common,
  };
}

/** One line for messages, trailers and the API: `semver ^1.4`, `pattern ^main-(?<ts>\d+)$ numeric by ts`. */
export function describePolicy(policy: ImagePolicy): string {
  if (policy.kind === "semver") return `semver ${policy.range}`;
  return `pattern ${policy.pattern} ${policy.order}${policy.by ? ` by ${policy.by}` : ""}`;
}
