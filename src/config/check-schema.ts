import type { z } from "zod";

export interface Finding {
  severity: "error" | "warning";
  path: (string | number)[];
  message: string;
  /** Point at the key rather than its value (an unknown field). */
  at?: "key";
}

/**
 * Checks plain data against a schema and returns every finding, not just the first. Unknown keys
 * are warnings (fly.toml grows new fields; they are kept and passed through), all else errors.
 */
export function checkSchema(schema: z.ZodType, value: unknown): Finding[] {
  const result = schema.safeParse(value);
  if (result.success) return [];
  return result.error.issues.flatMap((issue) => fromIssue(issue as Issue, []));
}

type Issue = {
  code: string;
  path: PropertyKey[];
  message: string;
  keys?: string[];
  errors?: Issue[][];
};

function fromIssue(issue: Issue, base: PropertyKey[]): Finding[] {
  const path = [...base, ...issue.path].map((p) => (typeof p === "number" ? p : String(p)));
  if (issue.code === "unrecognized_keys") {
    return (issue.keys ?? []).map((key) => ({
      severity: "warning" as const,
      path: [...path, key],
      message: `unknown field "${key}": kept and passed through as is`,
      at: "key" as const,
    }));
  }
  if (issue.code === "invalid_union" && issue.errors && issue.errors.length > 0) {
    // Report the branch that got furthest: a mounts table with a typo should say which field.
    const best = [...issue.errors].sort((a, b) => score(b) - score(a))[0]!;
    if (best.length > 0) return best.flatMap((i) => fromIssue(i, path));
  }
  return [{ severity: "error", path, message: issue.message }];
}

function score(issues: Issue[]): number {
  if (issues.every((i) => i.code === "unrecognized_keys")) return 1000;
  const typeMismatchAtRoot = issues.some((i) => i.path.length === 0 && i.code === "invalid_type");
  return typeMismatchAtRoot ? -1 : Math.max(...issues.map((i) => i.path.length)) - issues.length / 100;
}
