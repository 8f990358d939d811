/** Build specs, keys and the build machine's request: pure. */
import { describe, expect, it } from "vitest";
import type { ResolvedApp } from "../../../../src/config/resolved-app";
import {
  type BuildSpec,
  builderSecrets,
  builderSettings,
  buildKey,
  buildMachineRequest,
  buildSpecFor,
  deployTokenExpiry,
  FETCH_STEP,
  gitAuthSecretName,
  registryAuthFile,
} from "../../../../src/fly/build";
import { base64 } from "../../../../src/fly/build/base64";

const commit = "0123456789abcdef0123456789abcdef01234567";
const app = (source: ResolvedApp["source"], build: Record<string, unknown> = {}) =>
  ({ name: "web", org: "acme", source, config: { build } }) as unknown as ResolvedApp;
const git = {
  type: "git",
  url: "https://github.com/acme/web.git",
  repo: "github.com/acme/web",
  ref: { branch: "main" },
  path: "svc/",
} as const;

describe("buildSpecFor", () => {
  it("git: the repo at the commit, its subdir, Dockerfile, args and target", () => {
    const spec = buildSpecFor(app({ ...git, dockerfile: "Dockerfile.prod" }, { args: { A: 1 }, build_target: "run" }), {
      sourceCommit: commit,
      configRepo: "",
    });
    expect(spec).toEqual({
      context: { type: "git", url: git.url, commit, subdir: "svc" },
      dockerfile: "Dockerfile.prod",
      args: { A: "1" },
      target: "run",
    });
  });
  it("local: a folder of the config repo at its commit; inline: the Dockerfile alone; image: nothing", () => {
    const local = buildSpecFor(app({ type: "local", path: "apps/web" }), {
      sourceCommit: commit,
      configRepo: "https://git.example/config.git",
    });
    expect(local).toMatchObject({
      context: { type: "git", url: "https://git.example/config.git", subdir: "apps/web" },
    });
    expect(
      buildSpecFor(app({ type: "inline-dockerfile", dockerfile: "FROM x" }), { sourceCommit: null, configRepo: "" }),
    ).toMatchObject({ context: { type: "inline", dockerfile: "FROM x" } });
    expect(buildSpecFor(app({ type: "image", image: "nginx" }), { sourceCommit: null, configRepo: "" })).toBeNull();
  });
  it("refuses a short or missing commit", () => {
    expect(buildSpecFor(app(git), { sourceCommit: "0123abc", configRepo: "" })).toMatchObject({
      reason: expect.stringContaining("full commit"),
    });
  });
  it("keys differ by commit, subdir, Dockerfile and args, not by anything else", () => {
    const base = buildSpecFor(app(git), { sourceCommit: commit, configRepo: "" }) as Exclude<
      ReturnType<typeof buildSpecFor>,
      null | { reason: string }
    >;
    const key = buildKey(base);
    expect(buildKey({ ...base })).toBe(key);
    expect(buildKey({ ...base, args: { A: "2" } })).not.toBe(key);
    expect(buildKey({ ...base, dockerfile: "Other" })).not.toBe(key);
    expect(buildKey({ ...base, context: { ...base.context, subdir: "x" } as typeof base.context })).not.toBe(key);
  });
});

describe("credentials in repo URLs (issue 13 §5)", () => {
  it("never reach the builder's command line or a build reason: CONFIG_REPO with user info is refused", () => {
    const local = { type: "local", path: "apps/web" } as const;
    const spec = buildSpecFor(app(local), { sourceCommit: commit, configRepo: "https://bob:s3cret@git.example/c.git" });
    expect(spec).toEqual({ reason: expect.stringMatching(/^CONFIG_REPO cannot be built from: credentials/) });
    expect(JSON.stringify(spec)).not.toContain("s3cret");
  });
  it("a source.repo is put on the command line as the one parser reads it (scp-style over https)", () => {
    const scp = { ...git, url: "git@github.com:acme/web" };
    const spec = buildSpecFor(app(scp), { sourceCommit: commit, configRepo: "" }) as BuildSpec;
    const settings = builderSettings({ org: "acme" });
    const request = buildMachineRequest(settings, { spec, name: "b", tag: "t", registryAuth: "", metadata: {} });
    expect(request.config.init?.cmd).toContain(`context=https://github.com/acme/web.git#${commit}:svc`);
    expect(JSON.stringify(request)).not.toContain("git@");
  });
});

describe("buildMachineRequest", () => {
  const settings = builderSettings({ org: "acme", prefix: "tower-acme", region: "ams" });
  const spec = {
    context: { type: "git", url: "https://github.com/acme/web.git", commit, subdir: "svc" },
    dockerfile: "Dockerfile",
    args: { B: "2", A: "1" },
  } as const;
  const input = {
    spec,
    name: "build-d1",
    tag: "registry.fly.io/web:deployment-d1",
    gitAuthHost: "github.com",
    registryAuth: "ZG9ja2VyLWNvbmZpZw==",
    metadata: { tower_build: "d1" },
  };
  const request = buildMachineRequest(settings, input);
  it("runs buildctl-daemonless.sh against the git context and pushes the tag, one-off and sized", () => {
    expect(settings.app).toBe("tower-acme-builder");
    expect(request.config).toMatchObject({
      image: "moby/buildkit:v0.25.1",
      auto_destroy: true,
      restart: { policy: "no" },
      guest: { cpu_kind: "shared", cpus: 4, memory_mb: 4096 },
    });
    const { gitAuthHost: _, ...open } = { ...input };
    const publicRepo = buildMachineRequest(settings, open);
    expect(publicRepo.config.init?.entrypoint).toEqual(["buildctl-daemonless.sh"]);
    expect(publicRepo.config.init?.cmd).toEqual([
      "build",
      "--frontend",
      "dockerfile.v0",
      "--opt",
      `context=https://github.com/acme/web.git#${commit}:svc`,
      "--opt",
      "filename=Dockerfile",
      "--opt",
      "build-arg:A=1",
      "--opt",
      "build-arg:B=2",
      "--output",
      "type=image,name=registry.fly.io/web:deployment-d1,push=true",
    ]);
  });
  it("a private repo is fetched before BuildKit starts: the git header is never a secret of the build", () => {
    // Any `--secret` of the session is readable by the Dockerfile's RUN --mount=type=secret.
    expect(request.config.init?.entrypoint).toEqual([
      "/bin/sh",
      "-c",
      FETCH_STEP,
      "tower-fetch",
      "https://github.com/acme/web.git",
      commit,
    ]);
    expect(FETCH_STEP).toContain("rm -f /tower/secrets/git-auth-header");
    expect(request.config.init?.cmd).toEqual([
      "build",
      "--frontend",
      "dockerfile.v0",
      "--local",
      "context=/tower/src/svc",
      "--local",
      "dockerfile=/tower/src/svc",
      "--opt",
      "filename=Dockerfile",
      "--opt",
      "build-arg:A=1",
      "--opt",
      "build-arg:B=2",
      "--output",
      "type=image,name=registry.fly.io/web:deployment-d1,push=true",
    ]);
  });
  it("the registry login is this build's own file; git credentials are named builder-app secrets", () => {
    expect(request.config.files).toEqual([
      { guest_path: "/root/.docker/config.json", raw_value: "ZG9ja2VyLWNvbmZpZw==", mode: 0o400 },
      { guest_path: "/tower/secrets/git-auth-header", secret_name: "TOWER_GIT_AUTH_GITHUB_COM", mode: 0o400 },
    ]);
    expect(request.config.env).toBeUndefined();
  });
  it("builder secrets carry git credentials only, base64-encoded; the registry login is a deploy token", () => {
    const values = builderSecrets({ gitAuth: { host: "github.com", header: "Basic Z2l0OnNlY3JldA==" } });
    expect(values).toEqual({ TOWER_GIT_AUTH_GITHUB_COM: base64("Basic Z2l0OnNlY3JldA==") });
    expect(registryAuthFile(settings, "FlyV1 fm2_app")).toBe(
      base64(JSON.stringify({ auths: { "registry.fly.io": { auth: base64("x:fm2_app") } } })),
    );
    expect(deployTokenExpiry(settings)).toBe("25m0s");
    expect(gitAuthSecretName("git.example.com:8443")).toBe("TOWER_GIT_AUTH_GIT_EXAMPLE_COM_8443");
  });
});
