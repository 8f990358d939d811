/** Where and how builds run: the builder app, BuildKit's image, machine size, time limit. */
import type { FlyMachineGuest } from "../../config/fly-machine-config";

export interface BuilderSettings {
  /** The Fly app that holds build machines, one per org (created on first use). */
  app: string;
  org: string;
  /** Pinned BuildKit image that ships `buildctl-daemonless.sh`. */
  image: string;
  region: string;
  guest: FlyMachineGuest;
  /** A build still running after this long is destroyed and the deploy fails. */
  timeoutMs: number;
  /** Registry host images are pushed to and deployed from. */
  registryHost: string;
}

/** BuildKit pinned to a release: an image tag that moves would change builds under us. */
export const BUILDKIT_IMAGE = "moby/buildkit:v0.25.1";

/** The size flyctl gives its remote builders. */
export const BUILDER_GUEST: FlyMachineGuest = { cpu_kind: "shared", cpus: 4, memory_mb: 4096 };

export const BUILD_TIMEOUT_MS = 20 * 60_000;

export function builderSettings(
  input: { org: string; prefix?: string; app?: string; region?: string } & Partial<BuilderSettings>,
): BuilderSettings {
  return {
    app: input.app ?? `${input.prefix ?? "tower"}-builder`,
    org: input.org,
    image: input.image ?? BUILDKIT_IMAGE,
    region: input.region ?? "iad",
    guest: input.guest ?? BUILDER_GUEST,
    timeoutMs: input.timeoutMs ?? BUILD_TIMEOUT_MS,
    registryHost: input.registryHost ?? "registry.fly.io",
  };
}

/** `registry.fly.io/<app>:deployment-<deployId>`: the tag a build pushes. */
export function imageTag(settings: BuilderSettings, app: string, deployId: string): string {
  return `${settings.registryHost}/${app}:deployment-${deployId}`;
}

/** `registry.fly.io/<app>@sha256:…`: what a deploy runs, exactly what was built. */
export function imageByDigest(settings: BuilderSettings, app: string, digest: string): string {
  return `${settings.registryHost}/${app}@${digest}`;
}
