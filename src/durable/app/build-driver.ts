/**
 * The image a deploy runs, building it on Fly when its source needs a build. Each call is one
 * bounded look at the build, recorded in the log: build.started once the machine exists (found by
 * name after a crash, never started twice), build.finished with the digest, build.failed with a
 * reason. A finished build of the same key is reused: a config-only change does not rebuild.
 */
import type { ResolvedApp } from "../../config/resolved-app";
import {
  type BuildSpec,
  builderSecrets,
  buildKey,
  buildMachineRequest,
  buildSpecFor,
  checkBuildMachine,
  deployTokenExpiry,
  destroyBuildMachine,
  dockerfilePath,
  ensureApp,
  ensureBuilderSecrets,
  imageByDigest,
  imageTag,
  launchBuildMachine,
  manifestDigest,
  registryAuthFile,
} from "../../fly/build";
import { describeRepo, fetchCommit } from "../../git";
import { readRow, secretsKey, writeRow } from "./app-rows";
import type { BuildPort } from "./build-port";
import type { DriverContext } from "./driver-context";
import { builtImage, type DeployRecord } from "./state";

/** `failed`: the build failed and the log says so (deploy.failed included). */
export type ImageOutcome = { image: string } | { reason: string } | { waitMs: number } | { failed: true };

const POLL_MS = 1_000;
/** Longest one slice waits on a build machine before handing back. */
const WAIT_SLICE_MS = 10_000;

export async function resolveDeployImage(
  ctx: DriverContext,
  builds: BuildPort | null,
  deploy: DeployRecord,
  app: ResolvedApp,
): Promise<ImageOutcome> {
  if (app.source.type === "image") return { image: app.source.image };
  const spec = buildSpecFor(app, { sourceCommit: deploy.sourceCommit, configRepo: builds?.configRepo ?? "" });
  if (spec === null || "reason" in spec) return { reason: spec?.reason ?? "the source needs no build" };
  if (!builds) return { reason: "FLY_API_TOKEN is not set: Tower cannot build on Fly" };
  const key = buildKey(spec);
  const build = deploy.build;
  if (!build) {
    const reused = builtImage(ctx.log.state, key);
    if (reused) return { image: reused };
    return startBuild(ctx, builds, deploy, app, spec, key);
  }
  if (build.outcome === "finished") return { image: build.image };
  if (build.outcome === "failed") return { reason: build.error ?? "the build failed" };

  const settings = builds.settingsFor(app);
  const fail = (reason: string): ImageOutcome => {
    ctx.log.execute({ type: "record-build-fail", at: iso(ctx.now()), deployId: deploy.id, buildKey: key, reason });
    return { failed: true };
  };
  const left = Date.parse(build.startedAt) + settings.timeoutMs - ctx.now();
  if (left <= 0) {
    await destroyBuildMachine(builds.client, settings, build.machineId);
    return fail(
      `the build ran past its limit of ${settings.timeoutMs / 1000} s: build machine ${build.machineId} destroyed`,
    );
  }
  const progress = await checkBuildMachine(
    builds.client,
    settings,
    build.machineId,
    Math.min(left, WAIT_SLICE_MS, ctx.sliceMs),
  );
  if (progress.state === "running") return { waitMs: POLL_MS };
  if (progress.state === "lost") return fail(progress.reason);
  if (progress.exitCode !== 0)
    return fail(
      `building ${dockerfilePath(spec)} failed: build machine ${build.machineId} exited with code ${progress.exitCode}`,
    );
  const tag = `deployment-${deploy.id}`;
  const digest = await manifestDigest(builds.registry, app.name, tag);
  if (!digest) return fail(`the build exited 0 but ${settings.registryHost}/${app.name}:${tag} is not in the registry`);
  const image = imageByDigest(settings, app.name, digest);
  ctx.log.execute({ type: "record-build-finish", at: iso(ctx.now()), deployId: deploy.id, exitCode: 0, digest, image });
  return { image };
}

async function startBuild(
  ctx: DriverContext,
  builds: BuildPort,
  deploy: DeployRecord,
  app: ResolvedApp,
  spec: BuildSpec,
  key: string,
): Promise<ImageOutcome> {
  const missing = await missingDockerfile(builds, spec);
  if (missing) {
    ctx.log.execute({
      type: "record-build-fail",
      at: iso(ctx.now()),
      deployId: deploy.id,
      buildKey: key,
      reason: missing,
    });
    return { failed: true };
  }
  const settings = builds.settingsFor(app);
  // The registry takes pushes only for an app that exists: make it before the build pushes. A new
  // app does not answer at once: look again on the next slice.
  if (!(await ensureApp(builds.client, settings.app, settings.org))) return { waitMs: POLL_MS };
  if (!(await ensureApp(builds.client, app.name, app.org))) return { waitMs: POLL_MS };
  const tag = imageTag(settings, app.name, deploy.id);
  const gitAuth = gitAuthFor(builds, spec);
  // Git credentials go to the builder app as secrets (only when changed); the machine names them.
  const values = builderSecrets(gitAuth ? { gitAuth } : {});
  const row = readRow(ctx.log.store, "builder-secrets");
  const known = row?.app === settings.app ? row.digests : {};
  const digests = await ensureBuilderSecrets(builds.client, settings, values, known, secretsKey(ctx.log.store));
  writeRow(ctx.log.store, "builder-secrets", { app: settings.app, digests });
  // The push uses a token for this app alone, never the org token: one app's Dockerfile cannot
  // pull or overwrite another app's images. In memory only until the machine's file.
  const deployToken = await builds.client.createDeployToken(app.name, deployTokenExpiry(settings));
  const request = buildMachineRequest(settings, {
    spec,
    registryAuth: registryAuthFile(settings, deployToken),
    name: `build-${deploy.id}`.slice(0, 63),
    tag,
    ...(gitAuth ? { gitAuthHost: gitAuth.host } : {}),
    metadata: { tower_build: deploy.id, tower_app: app.name, tower_build_key: key },
  });
  const machineId = await launchBuildMachine(builds.client, settings, request);
  ctx.log.execute({
    type: "record-build-start",
    at: iso(ctx.now()),
    deployId: deploy.id,
    buildKey: key,
    machineId,
    builderApp: settings.app,
    image: tag,
  });
  return { waitMs: 0 };
}

function gitAuthFor(builds: BuildPort, spec: BuildSpec) {
  if (spec.context.type !== "git") return undefined;
  const header = builds.credentials().authorization(spec.context.url);
  return header ? { host: new URL(spec.context.url).host, header } : undefined;
}

/**
 * Looks for the Dockerfile at the commit before paying for a machine, so a missing one fails with
 * its path. Only a definite "not there" counts: a repo too big or slow to read here is left to
 * BuildKit, which fails the build itself if the file is missing.
 */
async function missingDockerfile(builds: BuildPort, spec: BuildSpec): Promise<string | null> {
  if (spec.context.type !== "git") return null;
  const { url, commit } = spec.context;
  const path = dockerfilePath(spec);
  try {
    const snapshot = await fetchCommit(url, { commit }, { credentials: builds.credentials() });
    if ((await snapshot.fileTree().read(path)) !== undefined) return null;
    return `no Dockerfile at ${path} in ${describeRepo(url)} at ${commit.slice(0, 12)}`;
  } catch {
    return null;
  }
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
