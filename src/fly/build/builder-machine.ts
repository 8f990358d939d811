/**
 * The create request of one build machine: BuildKit daemonless against the build's context,
 * pushing the tag. Credentials travel only as files in the machine config (registry login in
 * Docker's config.json, the git Authorization header as a BuildKit secret file), never in env or
 * the command line. Pure.
 */
import type { FlyFile, FlyMachineConfig } from "../../config/fly-machine-config";
import type { CreateMachineRequest } from "../client/fly-types";
import { type BuildSpec, gitContextRef } from "./build-spec";
import type { BuilderSettings } from "./builder-settings";

export interface BuildMachineInput {
  spec: BuildSpec;
  /** Deterministic (`build-<deployId>`): a resumed build finds its machine by this name. */
  name: string;
  /** The tag to push, `registry.fly.io/<app>:deployment-<deployId>`. */
  tag: string;
  /** The Fly token: the registry's password (user `x`). */
  registryToken: string;
  /** The `Authorization` header value for the source repo's host, for private repos. */
  gitAuth?: { host: string; header: string };
  metadata: Record<string, string>;
}

const INLINE_DIR = "/tower/context";
const SECRETS_DIR = "/tower/secrets";

export function buildMachineRequest(settings: BuilderSettings, input: BuildMachineInput): CreateMachineRequest {
  const { spec } = input;
  const files: FlyFile[] = [
    { guest_path: "/root/.docker/config.json", raw_value: base64(dockerConfig(settings, input)) },
  ];
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
  if (input.gitAuth) {
    // BuildKit's git source looks for GIT_AUTH_HEADER.<host> (then GIT_AUTH_HEADER) by default.
    const path = `${SECRETS_DIR}/git-auth-header`;
    files.push({ guest_path: path, raw_value: base64(input.gitAuth.header), mode: 0o400 });
    args.push("--secret", `id=GIT_AUTH_HEADER.${input.gitAuth.host},src=${path}`);
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

function dockerConfig(settings: BuilderSettings, input: BuildMachineInput): string {
  const auth = base64(`x:${input.registryToken}`);
  return JSON.stringify({ auths: { [settings.registryHost]: { auth } } });
}

/** Base64 of UTF-8 text, in Node and workerd alike. */
export function base64(text: string): string {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}
