import { isTowerSetting } from "../env";
import { type AllowRule, outsideRule, outsideSecrets } from "./allow-rule";
import type { CommonOrigin } from "./app-file";
import { emptyCommon, type StackedCommon, stackCommon } from "./common";
import { diagnostic, type Position } from "./diagnostic";
import { evaluateApp } from "./evaluate-app";
import type { EvaluateOptions, Evaluation, EvaluationCache, ProjectInfo, RepoRef } from "./evaluation";
import type { FileTree, FileTreeEntry } from "./file-tree";
import type { WaitingApp } from "./image-from";
import { isPlainObject, type PlainObject } from "./merge";
import { joinPath } from "./paths";
import { readProjectFile } from "./project-file";
import { projectContent } from "./project-source";
import type { Diagnostic, Feedback, GitRefSpec, ResolvedApp } from "./resolved-app";
import type { NotifyTarget } from "./schema/notify-schema";
import { collectRepos, dropDuplicates } from "./tree-results";
import { type RootWaves, resolveWaves } from "./waves";

/** One project being walked: which tree, which folder holds its content, what it passes down. */
interface Scope {
  tree: FileTree;
  treeKey: string;
  /** How files of this tree are named in messages: "" for the root tree, else `repo@ref:`. */
  prefix: string;
  names: string[];
  common: StackedCommon;
  origins: CommonOrigin[];
  /** Content folders of this project and its parents (`treeKey:dir`): a repeat is a cycle. */
  chain: string[];
  git?: { url: string; repo: string; ref: GitRefSpec };
  info: ProjectInfo;
  /** `notify:` targets of this project and its parents, outer first. */
  notify: NotifyTarget[];
  /** `allow` rules of this project and its parents: an app must satisfy every one. */
  limits: AllowRule[];
}

/**
 * Evaluates a config tree: finds projects and apps, stacks `common`, resolves and hashes each app.
 * An error in one app leaves that app out and the others in; a broken root project.yaml or a
 * cycle leaves every app out (the caller keeps what it had).
 */
export async function evaluateTree(tree: FileTree, options: EvaluateOptions): Promise<Evaluation> {
  return new TreeWalk(options).run(tree);
}

class TreeWalk {
  readonly diagnostics: Diagnostic[] = [];
  readonly apps: ResolvedApp[] = [];
  /** Where each app's `app` field is, for the duplicate-name error. */
  readonly appAt = new Map<ResolvedApp, Position>();
  readonly projects: ProjectInfo[] = [];
  readonly repoUses: (Omit<RepoRef, "usedBy"> & { user: string })[] = [];
  readonly cache: EvaluationCache = { entries: {} };
  /** The root project's feedback settings; apps get theirs with their own project's `notify`. */
  feedback: Feedback | undefined = { notify: [], gitHosts: {} };
  fatal = false;
  /** The root project.yaml's `waves:`/`gate:`, resolved once every app is known. */
  rootWaves: RootWaves | null = null;
  /** Apps whose images file does not name their service yet (wave members all the same). */
  readonly waiting: WaitingApp[] = [];

  constructor(readonly options: EvaluateOptions) {}

  async run(tree: FileTree): Promise<Evaluation> {
    const root = joinPath("", this.options.root ?? "") ?? "";
    const top: Scope = {
      tree,
      treeKey: "",
      prefix: "",
      names: [],
      common: emptyCommon,
      origins: [],
      chain: [],
      limits: [],
      info: { name: tree.label, path: root, prune: false, complete: true, fetched: true },
      notify: [],
    };
    const file = joinPath(root, "project.yaml")!;
    const text = await tree.read(file);
    if (text === undefined) {
      this.projects.push(top.info);
      await this.walk(top, root, true);
    } else {
      await this.enterProject(top, root, file, text, true);
    }
    const waves =
      this.rootWaves && !this.fatal ? await resolveWaves(this.rootWaves, this.apps, this.waiting, tree) : null;
    if (waves) this.diagnostics.push(...waves.diagnostics);
    const errors = this.diagnostics.filter((d) => d.severity === "error");
    const apps = this.fatal ? [] : dropDuplicates(this.apps, errors, this.appAt);
    return {
      apps: apps.sort((a, b) => a.name.localeCompare(b.name)),
      errors,
      warnings: this.diagnostics.filter((d) => d.severity === "warning"),
      repos: collectRepos(this.repoUses),
      projects: this.projects,
      cache: this.cache,
      feedback: this.feedback,
      ...(waves?.config ? { waves: waves.config } : {}),
    };
  }

  /**
   * `notify:` targets may not name Tower's own settings in `url_env` or `secret_env` (the rule app
   * secrets follow, secret-policy.ts): a project must not send notifications to, or sign them
   * with, Tower's tokens. They need not be marked for apps: no app reads them. A refused target is
   * left out with an error at its field.
   */
  allowedTargets(targets: NotifyTarget[], file: string, locate: (at: (string | number)[]) => Position) {
    return targets.filter((target, i) => {
      const refused = (["url_env", "secret_env"] as const).flatMap((field) => {
        const name = target[field as keyof NotifyTarget];
        if (typeof name !== "string" || !isTowerSetting(name)) return [];
        const message = `notify ${field}: ${name} is one of Tower's own settings and is never used for notifications`;
        return [diagnostic("error", file, locate(["notify", i, field]), message, ["notify", i, field])];
      });
      this.diagnostics.push(...refused);
      return refused.length === 0;
    });
  }

  /** A project.yaml at `dir`: read it, then walk where its source says its content is. */
  async enterProject(parent: Scope, dir: string, path: string, text: string, isRoot = false) {
    const file = parent.prefix + path;
    const read = readProjectFile(file, text);
    this.diagnostics.push(...read.diagnostics);
    const info: ProjectInfo = {
      name: dir || parent.info.name,
      path: parent.prefix + dir,
      file,
      prune: false,
      complete: false,
      fetched: true,
    };
    this.projects.push(info);
    if (!read.project) {
      if (isRoot) {
        this.fatal = true;
        this.feedback = undefined;
      }
      return;
    }
    const p = read.project;
    info.name = p.project;
    info.prune = p.prune === true;
    const common = (isPlainObject(p.common) ? p.common : {}) as PlainObject;
    const own = this.allowedTargets((p.notify ?? []) as NotifyTarget[], file, read.locate);
    const notify = [...parent.notify, ...own];
    const scope: Scope = {
      ...parent,
      names: [...parent.names, p.project],
      common: stackCommon(parent.common, common as never, file),
      origins: [{ file, common, locate: read.locate }, ...parent.origins],
      info,
      limits: p.allow
        ? [...parent.limits, { at: `${file}:${read.locate(["allow"]).line}`, ...p.allow }]
        : parent.limits,
      notify,
    };
    const here = (message: string, at: (string | number)[]) => diagnostic("error", file, read.locate(at), message, at);
    if (isRoot) this.feedback = { notify, gitHosts: (p.git_hosts ?? {}) as Feedback["gitHosts"] };
    // Which API a host speaks, and so where its token goes, is the operator's call alone.
    else if (p.git_hosts !== undefined)
      this.diagnostics.push(here("git_hosts is read from the root project.yaml only", ["git_hosts"]));
    if (isRoot && (p.waves || p.gate))
      this.rootWaves = {
        file,
        dir,
        locate: read.locate,
        waves: p.waves as RootWaves["waves"],
        gate: p.gate as RootWaves["gate"],
      };
    for (const field of ["waves", "gate"] as const)
      if (!isRoot && p[field] !== undefined)
        this.diagnostics.push(here(`${field} is read from the root project.yaml only`, [field]));

    const content = projectContent(p, dir);
    if (content.kind === "error") {
      if (content.cycle) this.fatal = true;
      this.diagnostics.push(here(content.message, content.at));
      return;
    }
    if (content.kind === "folder") return this.walkContent(scope, content.dir, here);
    const { source } = content;
    this.repoUses.push({ url: source.url, repo: source.repo, ref: source.ref, user: p.project });
    info.source = source;
    if (isRoot) return this.walkContent(scope, dir, here);
    if (!this.options.openRepo) {
      info.fetched = false;
      return;
    }
    let tree: FileTree;
    try {
      tree = await this.options.openRepo(source);
    } catch (e) {
      this.diagnostics.push(here(`could not fetch ${source.url}: ${(e as Error).message}`, ["source", "repo"]));
      return;
    }
    const git = { url: source.url, repo: source.repo, ref: source.ref };
    const treeKey = `${source.repo}@${JSON.stringify(source.ref)}`;
    const prefix = `${source.repo}@${Object.values(source.ref)[0]}:`;
    return this.walkContent({ ...scope, tree, treeKey, prefix, git }, source.path, here);
  }

  async walkContent(scope: Scope, dir: string, here: (m: string, at: (string | number)[]) => Diagnostic) {
    const key = `${scope.treeKey}:${dir}`;
    if (scope.chain.includes(key)) {
      this.fatal = true;
      const loop = scope.names.join(" → ");
      this.diagnostics.push(here(`cycle: ${loop} leads back to ${scope.prefix}${dir || "."}`, ["source"]));
      return;
    }
    const entries = await scope.tree.list(dir);
    if (!entries) {
      this.diagnostics.push(here(`the project's source ${scope.prefix}${dir || "."} does not exist`, ["source"]));
      return;
    }
    scope.info.complete = true;
    await this.walk({ ...scope, chain: [...scope.chain, key] }, dir, true, entries);
  }

  /** A folder of a project's content: a nested project, an app, or folders to look into. */
  async walk(scope: Scope, dir: string, contentRoot: boolean, listed?: FileTreeEntry[]): Promise<void> {
    const entries = listed ?? (await scope.tree.list(dir)) ?? [];
    const files = new Set(entries.filter((e) => e.kind === "file").map((e) => e.name));
    const join = (name: string) => (dir ? `${dir}/${name}` : name);
    if (!contentRoot && files.has("project.yaml")) {
      const text = await scope.tree.read(join("project.yaml"));
      if (text !== undefined) return this.enterProject(scope, dir, join("project.yaml"), text);
    }
    const appFile = files.has("app.yaml") ? "app.yaml" : files.has("fly.toml") ? "fly.toml" : undefined;
    if (appFile) return this.app(scope, dir, join(appFile));
    const dirs = entries.filter((e) => e.kind === "dir" && !e.name.startsWith(".")).map((e) => e.name);
    for (const name of dirs.sort()) await this.walk(scope, join(name), false);
  }

  async app(scope: Scope, dir: string, path: string) {
    const place = { file: scope.prefix + path, dir, projects: scope.names, git: scope.git };
    const input = {
      tree: scope.tree,
      path,
      place,
      common: scope.common,
      origins: scope.origins,
      treeKey: scope.treeKey,
    };
    const result = await evaluateApp(input, this.options, this.cache);
    this.diagnostics.push(...result.diagnostics);
    if (result.waiting) this.waiting.push(result.waiting);
    if (!result.app) {
      scope.info.complete = false;
      return;
    }
    const refused = refusal(scope.limits, result.app);
    if (refused) {
      const at = result.appAt ?? { line: 1, col: 1 };
      this.diagnostics.push(diagnostic("error", place.file, at, refused.message, refused.field));
      scope.info.complete = false;
      return;
    }
    const previews = result.app.previews;
    const source = result.app.source;
    if (source.type === "git")
      this.repoUses.push({ url: source.url, repo: source.repo, ref: source.ref, user: result.app.name });
    // A preview's name is known only when a pull request opens: routing checks it (previews.ts).
    const lanes = scope.limits.filter((rule) => rule.apps !== undefined);
    const laned =
      previews && lanes.length > 0 ? { ...result.app, previews: { ...previews, allow: lanes } } : result.app;
    const app = withFeedback(laned, { notify: scope.notify, gitHosts: this.feedback?.gitHosts ?? {} });
    this.apps.push(app);
    if (result.appAt) this.appAt.set(app, result.appAt);
  }
}

/**
 * Why an app breaks its projects' `allow` rules (naming the rule), or null. A preview is an app of
 * the project too: its org is checked here, its name (known per pull request) when one opens.
 */
function refusal(rules: AllowRule[], app: ResolvedApp): { message: string; field: string[] } | null {
  for (const rule of rules) {
    const why = outsideRule(rule, app.name, app.org);
    if (why) return { message: why, field: ["app"] };
  }
  for (const [field, secrets] of [
    ["secrets", app.secrets],
    ["previews", app.previews?.secrets ?? []],
  ] as const)
    for (const ref of secrets)
      for (const rule of rules) {
        const why = ref.from === "env" ? outsideSecrets(rule, app.name, ref.key) : null;
        if (why) return { message: field === "previews" ? `previews.secrets: ${why}` : why, field: [field] };
      }
  const org = app.previews?.org;
  if (org === undefined) return null;
  for (const rule of rules) {
    const why = outsideRule({ at: rule.at, orgs: rule.orgs }, `${app.name}'s previews`, org);
    if (why) return { message: `previews.org: ${why}`, field: ["previews", "org"] };
  }
  return null;
}

/** Attached after hashing, and only when there is something to report to: feedback never redeploys. */
function withFeedback(app: ResolvedApp, feedback: Feedback): ResolvedApp {
  const empty = feedback.notify.length === 0 && Object.keys(feedback.gitHosts).length === 0;
  return empty ? app : { ...app, feedback };
}
