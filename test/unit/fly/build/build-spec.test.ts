/** Build specs, keys and the build machine's request: pure. */
import { describe, expect, it } from "vitest";
import type { ResolvedApp } from "../../../../src/config/resolved-app";
import {
  builderSecrets,
  builderSettings,
  buildKey,
  buildMachineRequest,
  buildSpecFor,
  gitAuthSecretName,
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

describe("buildMachineRequest", () => {
  const settings = builderSettings({ org: "acme", prefix: "tower-acme", region: "ams" });
  const spec = {
    context: { type: "git", url: "https://github.com/acme/web.git", commit, subdir: "svc" },
    dockerfile: "Dockerfile",
    args: { B: "2", A: "1" },
  } as const;
  const request = buildMachineRequest(settings, {
    spec,
    name: "build-d1",
    tag: "registry.fly.io/web:deployment-d1",
    gitAuthHost: "github.com",
    metadata: { tower_build: "d1" },
  });
  it("runs buildctl-daemonless.sh against the git context and pushes the tag, one-off and sized", () => {
    expect(settings.app).toBe("tower-acme-builder");
    expect(request.config).toMatchObject({
      image: "moby/buildkit:v0.25.1",
      auto_destroy: true,
      restart: { policy: "no" },
      guest: { cpu_kind: "shared", cpus: 4, memory_mb: 4096 },
    });
    expect(request.config.init?.entrypoint).toEqual(["buildctl-daemonless.sh"]);
    expect(request.config.init?.cmd).toEqual([
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
      "--secret",
      "id=GIT_AUTH_HEADER.github.com,src=/tower/secrets/git-auth-header",
      "--output",
      "type=image,name=registry.fly.io/web:deployment-d1,push=true",
    ]);
  });
  it("names credentials as builder-app secrets: no value anywhere in the machine config", () => {
    expect(request.config.files).toEqual([
      { guest_path: "/root/.docker/config.json", secret_name: "TOWER_REGISTRY_AUTH" },
      { guest_path: "/tower/secrets/git-auth-header", secret_name: "TOWER_GIT_AUTH_GITHUB_COM", mode: 0o400 },
    ]);
    expect(request.config.env).toBeUndefined();
  });
  it("builder secrets carry the file contents base64-encoded, as Fly's secret-backed files want", () => {
    const values = builderSecrets(settings, {
      registryToken: "fly-token",
      gitAuth: { host: "github.com", header: "Basic Z2l0OnNlY3JldA==" },
    });
    expect(values).toEqual({
      TOWER_REGISTRY_AUTH: base64(JSON.stringify({ auths: { "registry.fly.io": { auth: base64("x:fly-token") } } })),
      TOWER_GIT_AUTH_GITHUB_COM: base64("Basic Z2l0OnNlY3JldA=="),
    });
    expect(gitAuthSecretName("git.example.com:8443")).toBe("TOWER_GIT_AUTH_GIT_EXAMPLE_COM_8443");
  });
});
