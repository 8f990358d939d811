import type { ImagePolicy } from "./image-policy";
import type { GitHostConfig, NotifyTarget } from "./schema/notify-schema";

/**
 * An app after evaluation: its file, its project chain, its merged config and hash. Plain,
 * structured-clonable data: the ProjectDO hands it to the AppDO. Secrets are references plus a
 * digest of the values they resolved to (raw test secrets carry their value: see SecretRef).
 */
export interface ResolvedApp {
  name: string;
  org: string;
  primaryRegion: string;
  /** Primary region first, then `extra_regions`. */
  regions: string[];
  /** Path of the app's file (app.yaml or fly.toml) in the config tree. */
  file: string;
  /** Project folders from the root down to the app's own project. */
  projects: string[];
  source: AppSource;
  /** The merged app config (fly.toml fields plus Tower's), secrets excluded. */
  config: Record<string, unknown>;
  secrets: SecretRef[];
  /** Digest of the secret values as resolved at evaluation time. */
  secretsDigest: string;
  /** Canonical hash of everything that shapes the deploy, parents' contributions included. */
  configHash: string;
  /** `sync.self_heal`: each cron tick checks Fly for drift and re-applies. Not part of `hash`. */
  selfHeal?: boolean;
  /** `previews` when enabled (git sources only): how pull requests get their own app. Not part of `hash`. */
  previews?: PreviewSettings;
  /** Who hears about this app's deploys (commit statuses, `notify:` targets). Not part of `hash`. */
  feedback?: Feedback;
  /** Set on a pull request's preview app (preview-app.ts): the app it previews and the pull request. */
  previewOf?: { app: string; number: number };
}

/** An app's `previews` section, resolved: defaults filled, secrets as references. */
export interface PreviewSettings {
  /** Name template with `<app>` and `<number>`. */
  name: string;
  org?: string;
  region?: string;
  machines?: Record<string, unknown>;
  env?: Record<string, string | number | boolean>;
  /** Only these reach a preview; the app's own secrets never do. */
  secrets: SecretRef[];
  /** Digest of the preview secrets' values at evaluation time. */
  secretsDigest: string;
  /** Destroy a preview after this many hours without a push. */
  ttlHours: number;
  /** Preview pull requests whose head lives in another repository. */
  forks: boolean;
  /** Live previews of the app at most: each is a Fly app, and anyone who can open a pull request makes one. */
  max: number;
}

/**
 * Where an app's deploys are reported: the `notify:` targets of its projects (outer first) and
 * the root project's `git_hosts`. Changing either never redeploys.
 */
export interface Feedback {
  notify: NotifyTarget[];
  gitHosts: Record<string, GitHostConfig>;
}

export type AppSource =
  /** An image that exists already: nothing to build. With a policy, Tower follows its new tags. */
  | { type: "image"; image: string; policy?: ImagePolicy; from?: ImageFrom }
  /** Build from a git repo at a branch, tag or commit, in `path`. `repo` is the normalised key. */
  | { type: "git"; url: string; repo: string; ref: GitRefSpec; path: string; dockerfile?: string; service?: string }
  /** Build from a folder of the config repo (flycd `type: local`). */
  | { type: "local"; path: string; dockerfile?: string; service?: string }
  /** Build from a Dockerfile written in the app file (flycd `inline-docker-file`). */
  | { type: "inline-dockerfile"; dockerfile: string };

/** An image read from a wave's images file: the file (a path in the config repo) and the service. */
export interface ImageFrom {
  file: string;
  service: string;
}

export type GitRefSpec = { branch: string } | { tag: string } | { commit: string };

/**
 * Where a secret's value comes from: the Worker's env (production), or the file itself (tests and
 * local demos; the value is in git anyway). A raw value may be kept in Durable Object state to
 * deploy with, but never in an event, a log line or an API response.
 */
export type SecretRef = { name: string; from: "env"; key: string } | { name: string; from: "raw"; value: string };

/** A problem in a config file, with the place it is at. */
export interface Diagnostic {
  severity: "error" | "warning";
  file: string;
  line: number;
  col: number;
  /** Field path inside the file, e.g. `http_service.internal_port`. */
  path?: string;
  message: string;
}
