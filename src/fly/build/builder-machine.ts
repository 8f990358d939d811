/**
 * The create request of one build machine: BuildKit daemonless against the build's context,
 * pushing the tag. The registry login is Docker's config.json holding a short-lived deploy token of
 * the one app this build pushes to (a file's `raw_value`: this machine's own config is the only
 * place it is written). The git Authorization header is a secret of the builder app that the
 * config only names, written as a BuildKit secret file. No credential is on the command line. Pure.
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
const SECRETS_DIR = "/tower/secrets";

export function buildMachineRequest(settings: BuilderSettings, input: BuildMachineInput): CreateMachineRequest {
  const { spec } = input;
  const files: FlyFile[] = [{ guest_path: "/root/.docker/config.json", raw_value: input.registryAuth, mode: 0o400 }];
  const args = ["build", "--frontend", "dockerfile.v0"];
  if (spec.context.type === "git") {
    args.push("--opt", `context=${gitContextRef(spec.context)}`);
  } else {
    files.push({ guest_path: `${INLINE_DIR}/Dockerfile`, raw_value: base64(spec.context.dockerfile) });
    args.push("--local", `context=${INLINE_DIR}`, "--local", `dockerfile=${INLINE_DIR}`);
  }
  args.push("--opt", `filename=${spec.dockerfile}`);
  if (spec.target) args.push("--opt", `target=${spec.target}`);
  for (const [key, value] of Object.entries(spec.args).sort(([a], [b]) => a.localeCompare(b)))
    args.push("--opt", `build-arg:${key}=${value}`);
  if (input.gitAuthHost) {
    // BuildKit's git source looks for GIT_AUTH_HEADER.<host> (then GIT_AUTH_HEADER) by default.
    const path = `${SECRETS_DIR}/git-auth-header`;
    files.push({ guest_path: path, secret_name: gitAuthSecretName(input.gitAuthHost), mode: 0o400 });
    args.push("--secret", `id=GIT_AUTH_HEADER.${input.gitAuthHost},src=${path}`);
  }
  args.push("--output", `type=image,name=${input.tag},push=true`);
  const config: FlyMachineConfig = {
    image: settings.image,
    init: { entrypoint: ["buildctl-daemonless.sh"], cmd: args },
    guest: settings.guest,
    restart: { policy: "no" },
    auto_destroy: true,
    files,
    metadata: input.metadata,
  };
  return { name: input.name, region: settings.region, config };
}
