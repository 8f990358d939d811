/**
 * The create request of one build machine: BuildKit daemonless against the build's context,
 * pushing the tag. The registry login is Docker's config.json holding a short-lived deploy token of
 * the one app this build pushes to (a file's `raw_value`: this machine's own config is the only
 * place it is written). The git Authorization header is a secret of the builder app that the
 * config only names, written as a file. No credential is on the command line. Pure.
 *
 * The header is never given to BuildKit: a secret of the build session (`buildctl --secret`) is
 * readable by any `RUN --mount=type=secret,id=…` of the Dockerfile being built
 * (https://docs.docker.com/build/building/secrets/), so one app's Dockerfile could print Tower's
 * git token. A private repo is fetched before BuildKit starts instead (FETCH_STEP), the header file
 * is deleted, and BuildKit builds the checked-out folder as a local context.
 */
import type { FlyFile, FlyMachineConfig } from "../../config/fly-machine-config";
import type { CreateMachineRequest } from "../client/fly-types";
import { base64 } from "./base64";
import { type BuildSpec, gitContextRef } from "./build-spec";
import { gitAuthSecretName } from "./builder-secrets";
import type { BuilderSettings } from "./builder-settings";

export interface BuildMachineInput {
  spec: BuildSpec;
  /** Deterministic (`build-<deployId>`): a resumed build finds its machine by this name. */
  name: string;
  /** The tag to push, `registry.fly.io/<app>:deployment-<deployId>`. */
  tag: string;
  /** The source repo's host when it needs an `Authorization` header (set by ensureBuilderSecrets). */
  gitAuthHost?: string;
  /** Docker's config.json, base64, with the app's deploy token (builder-secrets.ts registryAuthFile). */
  registryAuth: string;
  metadata: Record<string, string>;
}

const INLINE_DIR = "/tower/context";
const GIT_AUTH_FILE = "/tower/secrets/git-auth-header";
const SOURCE_DIR = "/tower/src";

/**
 * Run by `sh -c` with `$1` the repo URL, `$2` the commit and the rest buildctl's arguments: fetch
 * the one commit with the header (passed to git through its environment, so it is on no command
 * line), delete the header file and the `.git` folder (BuildKit's git context has no `.git`
 * either), then hand over to BuildKit.
 */
export const FETCH_STEP = [
  "set -eu",
  'url="$1"; commit="$2"; shift 2',
  `git init -q ${SOURCE_DIR}`,
  `GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=http.extraHeader GIT_CONFIG_VALUE_0="Authorization: $(cat ${GIT_AUTH_FILE})" git -C ${SOURCE_DIR} fetch -q --depth 1 "$url" "$commit"`,
  `rm -f ${GIT_AUTH_FILE}`,
  `git -C ${SOURCE_DIR} checkout -q FETCH_HEAD`,
  `rm -rf ${SOURCE_DIR}/.git`,
  'exec buildctl-daemonless.sh "$@"',
].join("\n");

export function buildMachineRequest(settings: BuilderSettings, input: BuildMachineInput): CreateMachineRequest {
  const { spec } = input;
  const files: FlyFile[] = [{ guest_path: "/root/.docker/config.json", raw_value: input.registryAuth, mode: 0o400 }];
  const args = ["build", "--frontend", "dockerfile.v0"];
  let entrypoint = ["buildctl-daemonless.sh"];
  if (spec.context.type === "git" && input.gitAuthHost) {
    const dir = [SOURCE_DIR, spec.context.subdir].filter(Boolean).join("/");
    files.push({ guest_path: GIT_AUTH_FILE, secret_name: gitAuthSecretName(input.gitAuthHost), mode: 0o400 });
    entrypoint = ["/bin/sh", "-c", FETCH_STEP, "tower-fetch", spec.context.url, spec.context.commit];
    args.push("--local", `context=${dir}`, "--local", `dockerfile=${dir}`);
  } else if (spec.context.type === "git") {
    args.push("--opt", `context=${gitContextRef(spec.context)}`);
  } else {
    files.push({ guest_path: `${INLINE_DIR}/Dockerfile`, raw_value: base64(spec.context.dockerfile) });
    args.push("--local", `context=${INLINE_DIR}`, "--local", `dockerfile=${INLINE_DIR}`);
  }
  args.push("--opt", `filename=${spec.dockerfile}`);
  if (spec.target) args.push("--opt", `target=${spec.target}`);
  for (const [key, value] of Object.entries(spec.args).sort(([a], [b]) => a.localeCompare(b)))
    args.push("--opt", `build-arg:${key}=${value}`);
  args.push("--output", `type=image,name=${input.tag},push=true`);
  const config: FlyMachineConfig = {
    image: settings.image,
    init: { entrypoint, cmd: args },
    guest: settings.guest,
    restart: { policy: "no" },
    auto_destroy: true,
    files,
    metadata: input.metadata,
  };
  return { name: input.name, region: settings.region, config };
}
