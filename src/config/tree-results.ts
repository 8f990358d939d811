import { canonicalJson } from "../base/canonical";
import type { RepoRef } from "./evaluation";
import type { Diagnostic, ResolvedApp } from "./resolved-app";

/** Two files naming the same app: both are left out, each error naming the other file. */
export function dropDuplicates(
  apps: ResolvedApp[],
  errors: Diagnostic[],
  at: Map<ResolvedApp, { line: number; col: number }>,
): ResolvedApp[] {
  const byName = new Map<string, ResolvedApp[]>();
  for (const app of apps) byName.set(app.name, [...(byName.get(app.name) ?? []), app]);
  const out: ResolvedApp[] = [];
  for (const [name, same] of byName) {
    if (same.length === 1) {
      out.push(same[0]!);
      continue;
    }
    for (const app of same) {
      const others = same.filter((a) => a !== app).map((a) => a.file);
      errors.push({
        severity: "error",
        file: app.file,
        line: at.get(app)?.line ?? 1,
        col: at.get(app)?.col ?? 1,
        path: "app",
        message: `duplicate app name ${name}: also in ${others.join(", ")}`,
      });
    }
  }
  return out;
}

/** One entry per repo key and ref, listing everything that uses it. */
export function collectRepos(uses: { url: string; repo: string; ref: RepoRef["ref"]; user: string }[]): RepoRef[] {
  const byKey = new Map<string, RepoRef>();
  for (const use of uses) {
    const key = `${use.repo} ${canonicalJson(use.ref)}`;
    const entry = byKey.get(key) ?? { url: use.url, repo: use.repo, ref: use.ref, usedBy: [] };
    if (!entry.usedBy.includes(use.user)) entry.usedBy.push(use.user);
    byKey.set(key, entry);
  }
  return [...byKey.values()].sort((a, b) =>
    (a.repo + canonicalJson(a.ref)).localeCompare(b.repo + canonicalJson(b.ref)),
  );
}
