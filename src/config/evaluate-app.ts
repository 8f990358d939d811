import { canonicalHash } from "../base/canonical";
import { type CommonOrigin, readAppFile } from "./app-file";
import type { StackedCommon } from "./common";
import { diagnostic, formatPath, type Locate, type Position } from "./diagnostic";
import type { CachedAppFile, EvaluateOptions, EvaluationCache } from "./evaluation";
import type { FileTree } from "./file-tree";
import { readImageFrom, type WaitingApp } from "./image-from";
import { readLocalFiles } from "./local-files";
import { isPlainObject, type PlainObject } from "./merge";
import { joinPath } from "./paths";
import { type AppPlace, resolveApp } from "./resolve-app";
import type { Diagnostic, ResolvedApp } from "./resolved-app";

export interface AppInput {
  tree: FileTree;
  /** Path of the file in its tree, and how messages name it. */
  path: string;
  place: AppPlace;
  common: StackedCommon;
  origins: CommonOrigin[];
  /** Cache key prefix for the tree (e.g. repo@commit), "" for the root tree. */
  treeKey: string;
}

/** Reads, merges, validates and resolves one app file, reusing the cache when its folder is unchanged. */
export async function evaluateApp(
  input: AppInput,
  options: EvaluateOptions,
  cacheOut: EvaluationCache,
): Promise<{ app?: ResolvedApp; diagnostics: Diagnostic[]; appAt?: Position; waiting?: WaitingApp }> {
  const { tree, place } = input;
  const treeId = await tree.treeId?.(place.dir);
  const key = treeId && `${input.treeKey}:${input.path}:${treeId}:${canonicalHash(input.common)}`;
  let cached: CachedAppFile | undefined = key ? options.previous?.entries[key] : undefined;
  let locate: Locate;
  if (cached?.config && cached.positions) {
    const positions = cached.positions;
    locate = (path) => {
      for (let n = path.length; n >= 0; n--) {
        const p = positions[formatPath(path.slice(0, n))];
        if (p) return p;
      }
      return { line: 1, col: 1 };
    };
  } else {
    const text = await tree.read(input.path);
    if (text === undefined) {
      return { diagnostics: [diagnostic("error", place.file, { line: 1, col: 1 }, "the file could not be read")] };
    }
    const read = readAppFile(place.file, text, input.common, input.origins);
    locate = read.locate;
    cached = { file: place.file, config: read.config, diagnostics: read.diagnostics };
    if (read.config) cached.positions = positionsOf(read.config, locate);
  }
  if (key) cacheOut.entries[key] = cached;
  if (!cached.config) return { diagnostics: cached.diagnostics };
  // Not cached: a file named by path may sit outside the app's folder, whose tree id keys the cache.
  const local = await readLocalFiles(cached.config, tree, place.dir, place.file, locate);
  if (!local.config) return { diagnostics: [...cached.diagnostics, ...local.diagnostics] };
  const fromPlace = { file: place.file, root: joinPath("", options.root ?? "") ?? "", nested: place.git !== undefined };
  const imaged = await readImageFrom(local.config, tree, fromPlace, locate);
  if (!imaged.config) {
    const waiting = imaged.waiting ? { waiting: imaged.waiting } : {};
    return { diagnostics: [...cached.diagnostics, ...imaged.diagnostics], ...waiting };
  }
  const resolved = resolveApp(imaged.config, place, locate, options);
  const diagnostics = [...cached.diagnostics, ...resolved.diagnostics];
  const source = resolved.app?.source;
  if (source?.type === "local" && !(await tree.list(source.path))) {
    const at = ["source", "path"];
    diagnostics.push(
      diagnostic("error", place.file, locate(at), `source folder ${source.path || "."} does not exist`, at),
    );
    return { diagnostics };
  }
  return { app: resolved.app, diagnostics, appAt: locate(["app"]) };
}

/** Positions a resolved app's later messages can need, so a cache hit can still name places. */
function positionsOf(config: PlainObject, locate: Locate): Record<string, Position> {
  const out: Record<string, Position> = { "": locate([]) };
  for (const [key, value] of Object.entries(config)) {
    out[key] = locate([key]);
    if (Array.isArray(value)) for (let i = 0; i < value.length; i++) out[formatPath([key, i])] = locate([key, i]);
    if (isPlainObject(value)) for (const sub of Object.keys(value)) out[formatPath([key, sub])] = locate([key, sub]);
  }
  return out;
}
