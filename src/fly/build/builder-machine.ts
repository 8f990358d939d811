/**
 * The create request of one build machine: BuildKit daemonless against the build's context,
 * pushing the tag. Credentials are secrets of the builder app (builder-secrets.ts) that the machine
 * config only names: Fly writes them as files (the registry login as Docker's config.json, the git
 * Authorization header as a BuildKit secret file). No credential is in the config, env or command
 * line, so reading the machine through the Machines API shows none. Pure.
 */
import type { FlyFile, FlyMachineConfig } from "../../config/fly-machine-config";
import type { CreateMachineRequest } from "../client/fly-types";
import { base64 } from "./base64";
import { type BuildSpec, gitContextRef } from "./build-spec";
import { gitAuthSecretName, REGISTRY_AUTH_SECRET } from "./builder-secrets";
import type { BuilderSettings } from "./builder-settings";

export interface BuildMachineInput {
  spec: BuildSpec;
  /** Deterministic (`build-<deployId>`): a resumed build finds its machine by this name. */
  name: string;
  /** The tag to push, `registry.fly.io/<app>:deployment-<deployId>`. */
  tag: string;
  /** The source repo's host when it needs an `Authorization` header (set by ensureBuilderSecrets). */
  gitAuthHost?: string;
  metadata: Record<string, string>;
}

const INLINE_DIR = "/tower/context";
const SECRETS_DIR = "/tower/secrets";

export function buildMachineRequest(settings: BuilderSettings, input: BuildMachineInput): CreateMachineRequest {
  const { spec } = input;
  const files: FlyFile[] = [{ guest_path: "/root/.docker/config.json", secret_name: REGISTRY_AUTH_SECRET }];
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
