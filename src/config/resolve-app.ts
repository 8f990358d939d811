import { parseRepoUrl } from "../base/repo-url";
import { processSecretsKey, secretsDigest } from "../base/secrets-digest";
import { diagnostic, type Locate } from "./diagnostic";
import { readFlags } from "./flags";
import { configHashOf } from "./hash";
import { readImagePolicy } from "./image-policy";
import { isPlainObject, type PlainObject } from "./merge";
import { joinPath } from "./paths";
import type { AppSource, Diagnostic, GitRefSpec, PreviewSettings, ResolvedApp } from "./resolved-app";
import { type AppSecretPolicy, appSecretPolicy, refusedAppSecret } from "./secret-policy";
import { resolveSecrets, secretRefs } from "./secrets";

/** Where an app file sits: its folder in its tree, and the git repo that tree is, if any. */
export interface AppPlace {
  file: string;
  dir: string;
  projects: string[];
  git?: { url: string; repo: string; ref: GitRefSpec };
}

export interface ResolveOptions {
  defaultOrg: string;
  secrets: (key: string) => string | undefined;
  /** Which variables are app secrets; default: names starting with `APP_SECRET_`. */
  secretPolicy?: AppSecretPolicy;
  /** HMAC key of the secrets digest (the ProjectDO's, from its storage); default: one per process. */
  secretsKey?: string;
  /** "error" (default) leaves an app with an unset secret out; the CLI uses "warning". */
  missingSecrets?: "error" | "warning";
}

/** The remote's default branch, when a git source names no ref. */
export const DEFAULT_REF: GitRefSpec = { branch: "HEAD" };

/** A validated, merged app config → the resolved app: flags read, source placed, secrets digested, hash. */
export function resolveApp(config: PlainObject, place: AppPlace, locate: Locate, options: ResolveOptions) {
  const diagnostics: Diagnostic[] = [];
  const note = (severity: Diagnostic["severity"], path: (string | number)[], message: string) =>
    diagnostics.push(diagnostic(severity, place.file, locate(path), message, path));
  const cfg: PlainObject = { ...config };
  const name = String(cfg.app);
  const launch = readFlags((cfg.launch_params as string[] | undefined) ?? []);
  const deploy = readFlags((cfg.deploy_params as string[] | undefined) ?? []);
  for (const [key, flags] of [
    ["launch_params", launch],
    ["deploy_params", deploy],
  ] as const) {
    if (flags.ignored.length > 0) note("warning", [key], `flags Tower ignores: ${flags.ignored.join(" ")}`);
    if (flags.name !== undefined && flags.name !== name)
      note("error", [key, flags.at.name!], `--name ${flags.name} is not the app's name ${name}`);
  }
  const fill = (field: string, flag: "vmSize" | "region" | "org") => {
    const value = deploy[flag] ?? launch[flag];
    if (value === undefined) return;
    if (cfg[field] === undefined) cfg[field] = value;
    else if (cfg[field] !== value)
      note("warning", [field], `${field} ${String(cfg[field])} wins over the flag's ${value}`);
  };
  fill("vm_size", "vmSize");
  fill("primary_region", "region");
  fill("org", "org");
  const ha = deploy.ha ?? launch.ha;
  const machines = isPlainObject(cfg.machines) ? cfg.machines : {};
  if (ha === true && machines.count === undefined) cfg.machines = { ...machines, count: 2 };

  if (typeof cfg.primary_region !== "string")
    note("error", [], "primary_region is required (or --region in launch_params)");
  const primaryRegion = String(cfg.primary_region ?? "");
  const extra = Array.isArray(cfg.extra_regions) ? (cfg.extra_regions as string[]) : [];
  const regions = [...new Set([primaryRegion, ...extra])];
  const source = placeSource(cfg, place, note);
  const secrets = secretRefs(cfg.secrets);
  delete cfg.secrets;
  // How Tower watches the app, not what it deploys: kept out of the config and its hash.
  const selfHeal = isPlainObject(cfg.sync) && cfg.sync.self_heal === true;
  delete cfg.sync;
  // Previews shape other apps (one per pull request), not this one: kept out of its config and hash.
  const previews = isPlainObject(cfg.previews) && cfg.previews.enabled === true ? previewSettings(cfg.previews) : null;
  delete cfg.previews;
  const policy = options.secretPolicy ?? appSecretPolicy({});
  const refused = new Set<string>();
  secrets.forEach((ref, i) => {
    const why = ref.from === "env" ? refusedAppSecret(ref.key, policy) : null;
    if (why === null) return;
    refused.add(ref.name);
    const raw = Array.isArray(config.secrets) ? (config.secrets as unknown[])[i] : undefined;
    note(
      "error",
      isPlainObject(raw) && "env" in raw ? ["secrets", i, "env"] : ["secrets", i],
      `secret ${ref.name}: ${why}`,
    );
  });
  // A refused variable is never read, not even to say whether it is set.
  const lookup = (key: string) => (refusedAppSecret(key, policy) === null ? options.secrets(key) : undefined);
  const { values, missing } = resolveSecrets({ secrets }, lookup);
  for (const m of missing.filter((name) => !refused.has(name))) {
    const i = secrets.findIndex((s) => s.name === m);
    const ref = secrets[i]!;
    const key = ref.from === "env" ? ref.key : m;
    note(options.missingSecrets ?? "error", ["secrets", i], `secret ${m}: environment variable ${key} is not set`);
  }
  if (previews && source && source.type !== "git")
    note("error", ["previews", "enabled"], `previews need a git source (this app's source is ${source.type})`);
  if (previews) {
    // The same policy as the app's own secrets: a refused variable is never read.
    const resolved = resolveSecrets({ secrets: previews.secrets }, lookup);
    previews.secretsDigest = secretsDigest(resolved.values, options.secretsKey ?? processSecretsKey());
    const missingPreview = resolved.missing;
    for (const m of missingPreview) {
      const i = previews.secrets.findIndex((s) => s.name === m);
      note(
        options.missingSecrets ?? "error",
        ["previews", "secrets", i],
        `preview secret ${m}: its environment variable is not set`,
      );
    }
  }
  if (diagnostics.some((d) => d.severity === "error") || !source) return { diagnostics };
  const org = typeof cfg.org === "string" ? cfg.org : options.defaultOrg;
  const partial = {
    name,
    org,
    primaryRegion,
    regions,
    file: place.file,
    projects: place.projects,
    source,
    config: cfg,
    secrets,
    secretsDigest: secretsDigest(values, options.secretsKey ?? processSecretsKey()),
  };
  const app: ResolvedApp = {
    ...partial,
    configHash: configHashOf(partial),
    ...(selfHeal ? { selfHeal } : {}),
    ...(previews ? { previews } : {}),
  };
  return { app, diagnostics };
}

const HOURS_PER_DAY = 24;
/** Live previews per app when `previews.max` is not set (docs/previews.md). */
export const DEFAULT_MAX_PREVIEWS = 20;

function previewSettings(section: PlainObject): PreviewSettings {
  const ttl = section.ttl ?? 7;
  const ttlHours =
    typeof ttl === "number"
      ? ttl * HOURS_PER_DAY
      : Number.parseInt(String(ttl), 10) * (String(ttl).endsWith("d") ? HOURS_PER_DAY : 1);
  const optional = <K extends "org" | "region" | "machines" | "env">(key: K) =>
    section[key] === undefined ? {} : ({ [key]: section[key] } as Pick<PreviewSettings, K>);
  return {
    name: typeof section.name === "string" ? section.name : "<app>-pr-<number>",
    ...optional("org"),
    ...optional("region"),
    ...optional("machines"),
    ...optional("env"),
    secrets: secretRefs(section.secrets),
    secretsDigest: "",
    ttlHours,
    forks: section.forks === true,
    max: typeof section.max === "number" ? section.max : DEFAULT_MAX_PREVIEWS,
  };
}

function placeSource(
  cfg: PlainObject,
  place: AppPlace,
  note: (s: Diagnostic["severity"], path: (string | number)[], m: string) => void,
): AppSource | undefined {
  const src = isPlainObject(cfg.source) ? cfg.source : { type: "local" };
  const build = isPlainObject(cfg.build) ? cfg.build : {};
  const dockerfile = (src.dockerfile ?? build.dockerfile) as string | undefined;
  // `service` on a built app: the name promotion waves carry its built image under.
  const service = typeof src.service === "string" && src.type !== "image" ? { service: src.service } : {};
  const withDockerfile = <T extends object>(s: T) => ({
    ...s,
    ...(dockerfile === undefined ? {} : { dockerfile }),
    ...service,
  });
  if (typeof build.image === "string") return { type: "image", image: build.image };
  switch (src.type) {
    case "image": {
      const policy = readImagePolicy(src);
      const from = typeof src.from === "string" ? { from: { file: src.from, service: String(src.service) } } : {};
      return { type: "image", image: String(src.image), ...(policy ? { policy } : {}), ...from };
    }
    case "inline-docker-file":
      return { type: "inline-dockerfile", dockerfile: String(src.inline) };
    case "git": {
      const url = String(src.repo);
      const parsed = parseRepoUrl(url);
      if (!parsed.ok) {
        note("error", ["source", "repo"], `source.repo: ${parsed.reason}`);
        return undefined;
      }
      const ref = (src.ref as GitRefSpec | undefined) ?? DEFAULT_REF;
      const path = joinPath("", String(src.path ?? "")) ?? "";
      return withDockerfile({ type: "git" as const, url, repo: parsed.repo.key, ref, path });
    }
    default: {
      const path = joinPath(place.dir, String(src.path ?? ""));
      if (path === undefined) {
        note("error", ["source", "path"], `source.path ${String(src.path)} points outside the config tree`);
        return undefined;
      }
      // A local folder of a git-sourced project is that repo's folder: build from the repo.
      if (place.git) return withDockerfile({ type: "git" as const, ...place.git, path });
      return withDockerfile({ type: "local" as const, path });
    }
  }
}
