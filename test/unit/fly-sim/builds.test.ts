/** The simulator's BuildKit machines: real git contexts, registry digests, failures naming the file. */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createFlyClient } from "../../../src/fly";
import {
  type BuildSpec,
  builderSecrets,
  builderSettings,
  buildMachineRequest,
  checkBuildMachine,
  ensureApp,
  ensureBuilderSecrets,
  launchBuildMachine,
  manifestDigest,
  registryAuthFile,
} from "../../../src/fly/build";
import { type FlySim, startFlySim } from "../../fly-sim";
import { createRepo } from "../../support/fixture-repo";

let sim: FlySim;
const token = "sim-build-token";
const settings = builderSettings({ org: "personal", app: "unit-builder" });

beforeAll(async () => {
  sim = await startFlySim({ token, rateLimit: false, timings: { transitionMs: 5, secondMs: 100, appReadyMs: 200 } });
});
afterAll(() => sim.close());

async function build(spec: BuildSpec, name: string, gitAuth?: { host: string; header: string }, tokenFor = "web") {
  const client = createFlyClient({ baseUrl: sim.url, token });
  expect(await ensureApp(client, settings.app, settings.org)).toBe(true);
  for (const app of new Set(["web", tokenFor])) await ensureApp(client, app, "personal", 5_000);
  const values = builderSecrets(gitAuth ? { gitAuth } : {});
  await ensureBuilderSecrets(client, settings, values, {}, "test-key");
  const tag = `registry.fly.io/web:deployment-${name}`;
  const deployToken = await client.createDeployToken(tokenFor, "25m0s");
  const request = buildMachineRequest(settings, {
    spec,
    registryAuth: registryAuthFile(settings, deployToken),
    name: `build-${name}`,
    tag,
    metadata: { tower_build: name },
    ...(gitAuth ? { gitAuthHost: gitAuth.host } : {}),
  });
  const id = await launchBuildMachine(client, settings, request);
  // Launching again finds the same machine: a resumed build never starts a second one.
  expect(await launchBuildMachine(client, settings, request)).toBe(id);
  for (;;) {
    const progress = await checkBuildMachine(client, settings, id, 2000);
    if (progress.state !== "running") {
      const digest = await manifestDigest({ baseUrl: sim.url, token }, "web", `deployment-${name}`);
      const events = await client.machineEvents(settings.app, id, 50);
      return { progress, digest, events, machine: sim.state(settings.app).machines.find((m) => m.id === id) };
    }
  }
}

describe("simulated BuildKit builds", () => {
  it("builds a git context at a commit and subdir: exit 0, digest in the registry", { timeout: 15_000 }, async () => {
    const repo = await createRepo(inject("gitUrl"), "app-src");
    const commit = await repo.commit({ "web/Dockerfile": "FROM scratch\n", "README.md": "hi\n" });
    const spec: BuildSpec = {
      context: { type: "git", url: repo.url, commit, subdir: "web" },
      dockerfile: "Dockerfile",
      args: { A: "1" },
    };
    const { progress, digest } = await build(spec, "ok1");
    expect(progress).toEqual({ state: "exited", exitCode: 0 });
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    const machines = JSON.stringify(sim.state(settings.app).machines);
    expect(machines).not.toContain(token);
    expect(machines).not.toContain(Buffer.from(`x:${token}`).toString("base64"));
    // Pushed with the app's own deploy token, not the org token.
    expect(sim.registry.find("web", "deployment-ok1")?.pushedWith).toBe("deploy-token");
    // Same sources, same digest; other args, another image.
    const again = await build(spec, "ok2");
    expect(again.digest).toBe(digest);
    const other = await build({ ...spec, args: { A: "2" } }, "ok3");
    expect(other.digest).not.toBe(digest);
  });

  it("a missing Dockerfile exits 1, with an event naming the file; nothing is pushed", async () => {
    const repo = await createRepo(inject("gitUrl"), "app-src");
    const commit = await repo.commit({ "web/index.html": "<p>hi</p>\n" });
    const spec: BuildSpec = {
      context: { type: "git", url: repo.url, commit, subdir: "web" },
      dockerfile: "Dockerfile",
      args: {},
    };
    const { progress, digest, events } = await build(spec, "missing");
    expect(progress).toEqual({ state: "exited", exitCode: 1 });
    expect(digest).toBeNull();
    expect(JSON.stringify(events)).toContain("web/Dockerfile not found");
  });

  it("a commit that is not in the repo fails the build", async () => {
    const repo = await createRepo(inject("gitUrl"), "app-src");
    await repo.commit({ Dockerfile: "FROM scratch\n" });
    const spec: BuildSpec = {
      context: { type: "git", url: repo.url, commit: "a".repeat(40), subdir: "" },
      dockerfile: "Dockerfile",
      args: {},
    };
    expect((await build(spec, "nocommit")).progress).toEqual({ state: "exited", exitCode: 1 });
  });

  it("a private repo builds with the GIT_AUTH_HEADER secret file, and fails without it", async () => {
    const repo = await createRepo(inject("gitUrl"), "private-src", { token: "git-secret" });
    const commit = await repo.commit({ Dockerfile: "FROM scratch\n" });
    const spec: BuildSpec = {
      context: { type: "git", url: repo.url, commit, subdir: "" },
      dockerfile: "Dockerfile",
      args: {},
    };
    const header = `Basic ${Buffer.from("x-access-token:git-secret").toString("base64")}`;
    const ok = await build(spec, "private-ok", { host: new URL(repo.url).host, header });
    expect(ok.progress).toEqual({ state: "exited", exitCode: 0 });
    expect(JSON.stringify(ok.machine)).not.toContain("git-secret");
    expect((await build(spec, "private-no")).progress).toEqual({ state: "exited", exitCode: 1 });
  });

  it("a private repo's Dockerfile cannot read Tower's git credential through RUN --mount=type=secret", async () => {
    const repo = await createRepo(inject("gitUrl"), "private-mallory", { token: "tower-git-token" });
    const host = new URL(repo.url).host;
    // What an attacker with commit access to one app's repo writes: BuildKit hands any session secret to it.
    const dockerfile = [
      "FROM alpine",
      `RUN --mount=type=secret,id=GIT_AUTH_HEADER.${host} --mount=type=secret,id=GIT_AUTH_HEADER cat /run/secrets/*`,
    ].join("\n");
    const commit = await repo.commit({ "svc/Dockerfile": `${dockerfile}\n` });
    const spec: BuildSpec = {
      context: { type: "git", url: repo.url, commit, subdir: "svc" },
      dockerfile: "Dockerfile",
      args: {},
    };
    const header = `Basic ${Buffer.from("x-access-token:tower-git-token").toString("base64")}`;
    const built = await build(spec, "mallory", { host, header });
    expect(built.progress).toEqual({ state: "exited", exitCode: 0 });
    expect(sim.registry.find("web", "deployment-mallory")?.secretsRead).toEqual([]);
    expect(sim.registry.find("web", "deployment-mallory")?.source).toContain(`${commit}:svc`);
    expect(JSON.stringify(built.machine)).not.toContain(header);
  });

  it("sets a builder secret only when its value changed; a machine naming a missing secret exits 1", async () => {
    const client = createFlyClient({ baseUrl: sim.url, token });
    const other = builderSettings({ org: "personal", app: "unit-builder-2" });
    await ensureApp(client, other.app, other.org);
    const gitAuth = { host: "git.example", header: "Basic b2xk" };
    const values = builderSecrets({ gitAuth });
    const sets = () => sim.requests(other.app).filter((r) => r.operation === "Secrets_update").length;
    // A builder app from before deploy tokens holds the org token's login: it is removed.
    await client.setSecrets(other.app, { TOWER_REGISTRY_AUTH: "b2xkLWxvZ2lu" });
    const known = await ensureBuilderSecrets(client, other, values, {}, "test-key");
    expect((await client.listSecrets(other.app)).map((x) => x.name)).toEqual(["TOWER_GIT_AUTH_GIT_EXAMPLE"]);
    expect(await ensureBuilderSecrets(client, other, values, known, "test-key")).toEqual(known);
    expect(sets()).toBe(2);
    expect(JSON.stringify(known)).not.toContain(values.TOWER_GIT_AUTH_GIT_EXAMPLE);
    const rotated = builderSecrets({ gitAuth: { ...gitAuth, header: "Basic bmV3" } });
    await ensureBuilderSecrets(client, other, rotated, known, "test-key");
    expect(sets()).toBe(3);

    await client.deleteSecret(other.app, "TOWER_GIT_AUTH_GIT_EXAMPLE");
    const repo = await createRepo(inject("gitUrl"), "app-src");
    const commit = await repo.commit({ Dockerfile: "FROM scratch\n" });
    const spec: BuildSpec = {
      context: { type: "git", url: repo.url, commit, subdir: "" },
      dockerfile: "Dockerfile",
      args: {},
    };
    const request = buildMachineRequest(other, {
      spec,
      name: "build-nosecret",
      tag: "registry.fly.io/web:x",
      gitAuthHost: "git.example",
      registryAuth: registryAuthFile(other, await client.createDeployToken("web", "1m0s")),
      metadata: {},
    });
    const id = await launchBuildMachine(client, other, request);
    let progress = await checkBuildMachine(client, other, id, 2000);
    while (progress.state === "running") progress = await checkBuildMachine(client, other, id, 2000);
    expect(progress).toEqual({ state: "exited", exitCode: 1 });
    expect(JSON.stringify(await client.machineEvents(other.app, id, 50))).toContain("TOWER_GIT_AUTH_GIT_EXAMPLE");
    // A recreated builder app lacks the secret although the digest is known: it is set again.
    await ensureBuilderSecrets(client, other, values, known, "test-key");
    expect(sets()).toBe(4);
  });

  it("an inline Dockerfile builds from the machine's files", async () => {
    const spec: BuildSpec = {
      context: { type: "inline", dockerfile: "FROM nginx:1.27\n" },
      dockerfile: "Dockerfile",
      args: {},
    };
    const { progress, digest } = await build(spec, "inline");
    expect(progress).toEqual({ state: "exited", exitCode: 0 });
    expect(digest).toMatch(/^sha256:/);
  });

  it("a deploy token pushes only to its own app's repository (App_create_deploy_token)", async () => {
    const spec: BuildSpec = {
      context: { type: "inline", dockerfile: "FROM scratch\n" },
      dockerfile: "Dockerfile",
      args: {},
    };
    const { progress, events } = await build(spec, "cross-app", undefined, "other-app");
    expect(progress).toEqual({ state: "exited", exitCode: 1 });
    expect(JSON.stringify(events)).toContain("the deploy token is for the app other-app");
    expect(sim.registry.find("web", "deployment-cross-app")).toBeUndefined();
    // Reads too: a deploy token of one app gets nothing from another's repository.
    const client = createFlyClient({ baseUrl: sim.url, token });
    const otherToken = await client.createDeployToken("other-app", "1m0s");
    await expect(manifestDigest({ baseUrl: sim.url, token: otherToken }, "web", "deployment-ok1")).rejects.toThrow(
      /401/,
    );
    const webToken = await client.createDeployToken("web", "1m0s");
    expect(await manifestDigest({ baseUrl: sim.url, token: webToken }, "web", "deployment-ok1")).toMatch(/^sha256:/);
    expect(webToken).toMatch(/^FlyV1 fm2_/);
  });

  it("the registry refuses HEAD without the Fly login", async () => {
    const res = await fetch(`${sim.url}/v2/web/manifests/deployment-ok1`, { method: "HEAD" });
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toMatch(/^Basic /);
    await expect(manifestDigest({ baseUrl: sim.url, token: "wrong" }, "web", "deployment-ok1")).rejects.toThrow(/401/);
  });
});
