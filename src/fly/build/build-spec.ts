/**
 * What one image build needs, from an app's resolved config: where BuildKit reads the context
 * (a git repo at a full commit and a folder of it, or an inline Dockerfile alone), which
 * Dockerfile, its args and target. Pure. `buildKey` names the build: the same key means the same
 * image, so a config-only change reuses the image instead of building again.
 */
import { canonicalHash } from "../../base/canonical";
import { parseRepoUrl } from "../../base/repo-url";
import type { ResolvedApp } from "../../config/resolved-app";

export type BuildContext =
  | { type: "git"; url: string; commit: string; subdir: string }
  | { type: "inline"; dockerfile: string };

export interface BuildSpec {
  context: BuildContext;
  /** Path of the Dockerfile inside the context folder. */
  dockerfile: string;
  args: Record<string, string>;
  target?: string;
}

export interface BuildSources {
  /** The commit the app builds from: the app repo's, or the config repo's for `local` sources. */
  sourceCommit: string | null;
  /** Clone URL of the config repo (`local` sources are folders of it). */
  configRepo: string;
}

/** Bump when the meaning of a build changes, so every app builds once more. */
const KEY_VERSION = 1;

/** The build an app needs, null for an `image` source, or why it cannot be built. */
export function buildSpecFor(app: ResolvedApp, sources: BuildSources): BuildSpec | null | { reason: string } {
  const { source } = app;
  const build = isRecord(app.config.build) ? app.config.build : {};
  const args = isRecord(build.args) ? stringRecord(build.args) : {};
  // flyctl spells it `build-target` (internal/appconfig/config.go Build); `build_target` is an alias.
  const stage = build["build-target"] ?? build.build_target;
  const target = typeof stage === "string" ? { target: stage } : {};
  switch (source.type) {
    case "image":
      return null;
    case "inline-dockerfile":
      return { context: { type: "inline", dockerfile: source.dockerfile }, dockerfile: "Dockerfile", args, ...target };
    case "git":
    case "local": {
      const commit = sources.sourceCommit;
      if (commit === null || !/^[0-9a-f]{40}$/.test(commit))
        return { reason: `the build needs the source's full commit id, not ${JSON.stringify(commit)}` };
      const written = source.type === "git" ? source.url : sources.configRepo;
      if (!written) return { reason: "a local source builds from the config repo, but CONFIG_REPO is not set" };
      // The builder's command line carries the URL as the one parser reads it: no user info ever
      // (credentials reach BuildKit as a secret file), and SSH spellings fetched over HTTPS.
      const parsed = parseRepoUrl(written);
      if (!parsed.ok)
        return {
          reason: `${source.type === "git" ? "source.repo" : "CONFIG_REPO"} cannot be built from: ${parsed.reason}`,
        };
      const url = parsed.repo.fetchUrl;
      const subdir = source.path.replace(/^\.?\/+|\/+$/g, "").replace(/^\.$/, "");
      return {
        context: { type: "git", url, commit, subdir },
        dockerfile: source.dockerfile ?? "Dockerfile",
        args,
        ...target,
      };
    }
  }
}

export function buildKey(spec: BuildSpec): string {
  return `build:${canonicalHash({ v: KEY_VERSION, ...spec }).slice(0, 32)}`;
}

/** BuildKit's git context: `<repo>#<40-char commit>[:<subdir>]`. */
export function gitContextRef(context: Extract<BuildContext, { type: "git" }>): string {
  return `${context.url}#${context.commit}${context.subdir ? `:${context.subdir}` : ""}`;
}

/** Where the Dockerfile sits inside its repo, for messages: `web/Dockerfile`. */
export function dockerfilePath(spec: BuildSpec): string {
  if (spec.context.type === "inline") return "the inline Dockerfile";
  return [spec.context.subdir, spec.dockerfile].filter(Boolean).join("/");
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function stringRecord(value: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)]));
}
