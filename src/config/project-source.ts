import { parseRepoUrl } from "../base/repo-url";
import type { ProjectInfo } from "./evaluation";
import { isPlainObject, type PlainObject } from "./merge";
import { joinPath } from "./paths";
import { DEFAULT_REF } from "./resolve-app";
import type { GitRefSpec } from "./resolved-app";

export type GitProjectSource = NonNullable<ProjectInfo["source"]>;

/** Where a project's content is, from its `source` (pure: the walker does the reading). */
export type ProjectContent =
  | { kind: "folder"; dir: string }
  | { kind: "git"; source: GitProjectSource }
  | { kind: "error"; message: string; at: string[]; cycle?: true };

/**
 * No source: the project's own folder. `local`: a folder relative to the project.yaml (flycd's
 * `examples/cyclic`, a local source naming the project's own folder, includes itself: a cycle).
 * `git`: another repo at a ref and path; for the root project that repo is the config repo
 * itself, so the walker reads its content right here.
 */
export function projectContent(project: PlainObject, dir: string): ProjectContent {
  const src = isPlainObject(project.source) ? project.source : undefined;
  if (src?.type === "git") {
    const url = String(src.repo);
    const parsed = parseRepoUrl(url);
    if (!parsed.ok) return { kind: "error", message: `source.repo: ${parsed.reason}`, at: ["source", "repo"] };
    const source = {
      url,
      repo: parsed.repo.key,
      ref: (src.ref as GitRefSpec | undefined) ?? DEFAULT_REF,
      path: joinPath("", String(src.path ?? "")) ?? "",
    };
    return { kind: "git", source };
  }
  if (src === undefined) return { kind: "folder", dir };
  if (src.type !== "local")
    return {
      kind: "error",
      message: `a project's source is git or local, not ${String(src.type)}`,
      at: ["source", "type"],
    };
  const content = joinPath(dir, String(src.path ?? ""));
  if (content === undefined) {
    return {
      kind: "error",
      message: `source.path ${String(src.path)} points outside the config tree`,
      at: ["source", "path"],
    };
  }
  if (content === dir) {
    const message = `cycle: project ${String(project.project)} includes itself (source.path resolves to its own folder "${dir}")`;
    return { kind: "error", message, at: ["source"], cycle: true };
  }
  return { kind: "folder", dir: content };
}
