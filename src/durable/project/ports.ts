/**
 * What the project's sync needs from the outside world, as plain functions: the DO wires them to
 * src/git, src/config and the AppDOs; nothing here knows which.
 */

import type { FileTree } from "../../config/file-tree";
import type { Diagnostic, Feedback, ResolvedApp } from "../../config/resolved-app";
import type { WavesConfig } from "../../config/waves";
import type { AppSummary, DesiredNotice } from "../contract";
import type { ImagePorts } from "../images/image-ports";

/** One commit of the config repo, readable without a checkout. */
export interface ConfigSnapshot {
  commit: string;
  tree: FileTree;
  /** Git tree id of a folder of the commit (relative to the repo root). */
  treeId(path: string): Promise<string | undefined>;
}

/** A config Evaluation reduced to what the project records and decides on. */
export interface RecordedEvaluation {
  apps: ResolvedApp[];
  errors: Omit<Diagnostic, "severity">[];
  warnings: number;
  /** `prune: true` on the root project: apps removed from config are destroyed. */
  prune: boolean;
  /** Whatever the evaluator can reuse next time for subtrees whose tree id is unchanged. */
  cache: unknown;
  /** The root project's notify targets and git hosts; absent when its project.yaml is broken. */
  feedback?: Feedback;
  /** The root project's promotion waves and CI gate (absent: none, or project.yaml unreadable). */
  waves?: WavesConfig;
}

export interface ProjectPorts extends ImagePorts {
  /** Full ref name → commit, for the refs under `prefixes`. */
  listRefs(url: string, prefixes: string[]): Promise<Record<string, string>>;
  fetchConfig(url: string, ref: string): Promise<ConfigSnapshot>;
  evaluate(snapshot: ConfigSnapshot, previous: unknown): Promise<RecordedEvaluation>;
  /** One call per notice; a forced one (`notice.force`) also redeploys, keyed by the notice. */
  desire(notice: DesiredNotice): Promise<void>;
  destroy(app: string, cause: string): Promise<void>;
  /** Asks the app's AppDO to compare Fly with what it last applied and re-apply on a difference. */
  checkDrift(app: string, cause: string): Promise<void>;
  summary(app: string): Promise<AppSummary | null>;
}

/** The root project's settings: env vars, or what `configure()` stored. */
export interface ProjectSettings {
  /** The config repo's URL. */
  repo: string;
  /** Branch name, or a full ref (`refs/tags/v1`). */
  ref: string;
  /** Folder of the root project inside the repo. */
  path: string;
  /** Fly org for apps whose config names none. */
  org: string;
}

/** Runs `work` over `items` with at most `limit` in flight. */
export async function mapLimit<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}
