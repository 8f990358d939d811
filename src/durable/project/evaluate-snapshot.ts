/** Config evaluation of a fetched commit, reduced to what the project records and decides on. */
import { type EvaluateOptions, type EvaluationCache, evaluateTree } from "../../config";
import type { ConfigSnapshot, ProjectSettings, RecordedEvaluation } from "./ports";

export async function evaluateSnapshot(
  snapshot: ConfigSnapshot,
  previous: unknown,
  settings: ProjectSettings,
  secrets: Pick<EvaluateOptions, "secrets" | "secretPolicy" | "secretsKey">,
  openRepo: EvaluateOptions["openRepo"],
): Promise<RecordedEvaluation> {
  const root = settings.path === "." ? "" : settings.path.replace(/^\.\/|\/+$/g, "");
  const result = await evaluateTree(snapshot.tree, {
    root,
    ...secrets,
    defaultOrg: settings.org,
    openRepo,
    previous: previous as EvaluationCache | undefined,
  });
  const errors = result.errors.map(({ file, line, col, path, message }) => ({ file, line, col, path, message }));
  // Only the root project's own `prune` counts, and only when every project was read completely.
  const top = result.projects.find((project) => project.path === root);
  const prune = (top?.prune ?? false) && result.projects.every((project) => project.complete);
  const feedback = result.feedback ? { feedback: result.feedback } : {};
  const waves = result.waves ? { waves: result.waves } : {};
  return {
    apps: result.apps,
    errors,
    warnings: result.warnings.length,
    prune,
    cache: result.cache,
    ...feedback,
    ...waves,
  };
}
