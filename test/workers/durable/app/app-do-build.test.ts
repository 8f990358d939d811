/** The AppDO building images on Fly (simulator + real git server): build, deploy by digest, reuse, failures. */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { ResolvedApp } from "../../../../src/config/resolved-app";
import { normaliseRepoUrl } from "../../../../src/git";
import { flySimControl } from "../../../fly-sim/control";
import { createRepo } from "../../../support/fixture-repo";
import { appStub } from "../../do-stubs";
import { eventsOf, notice, resolvedApp, settle } from "./fixtures";

const sim = flySimControl(env.FLY_API_BASE);
const BUILDER = "tower-personal-builder";
const unique = (prefix: string) => `${prefix}-${crypto.randomUUID().slice(0, 8)}`;
const ofType = async (stub: ReturnType<typeof appStub>, type: string) =>
  (await eventsOf(stub)).filter((e) => e.type === type).map((e) => e.data as Record<string, unknown>);

async function gitApp(name: string, files: Record<string, string>) {
  const repo = await createRepo(env.GIT_TEST_URL, `${name}-src`);
  const commit = await repo.commit(files);
  const source = { type: "git", url: repo.url, repo: normaliseRepoUrl(repo.url), ref: { branch: "main" }, path: "web" };
  const app = resolvedApp(name, { source: source as ResolvedApp["source"], configHash: "h1" });
  return { repo, commit, app };
}

async function registryDigest(name: string, tag: string) {
  const res = await fetch(`${env.FLY_API_BASE}/v2/${name}/manifests/${tag}`, {
    method: "HEAD",
    headers: { authorization: `Basic ${btoa(`x:${env.FLY_API_TOKEN}`)}` },
  });
  return res.headers.get("docker-content-digest");
}

describe("AppDO builds images on Fly", () => {
  it("a new app-repo commit builds on a machine and deploys by digest; a config-only change does not build", async () => {
    const name = unique("build");
    const { repo, commit, app } = await gitApp(name, { "web/Dockerfile": "FROM scratch\n", "README.md": "x\n" });
    const stub = appStub(env, name);
    await stub.desire(notice(app, "k1", commit));
    const summary = await settle(stub);
    expect(summary).toMatchObject({ status: "synced", deployed: { sourceCommit: commit } });

    const [started] = await ofType(stub, "build.started");
    const [finished] = await ofType(stub, "build.finished");
    const deployId = summary!.lastDeploy!.id;
    expect(started).toMatchObject({ image: `registry.fly.io/${name}:deployment-${deployId}`, builderApp: BUILDER });
    expect(finished).toMatchObject({ exitCode: 0, digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) });
    expect(await registryDigest(name, `deployment-${deployId}`)).toBe(finished!.digest);
    const image = `registry.fly.io/${name}@${finished!.digest}`;
    expect((await stub.deploy(deployId))?.image).toBe(image);
    const machines = (await sim.state(name)).machines as unknown as { config: { image: string } }[];
    expect(machines.map((m) => m.config.image)).toEqual([image]);
    // The build machine ran BuildKit against the commit, and is gone.
    const builder = (await sim.state(BUILDER)).machines as unknown as SimMachineView[];
    const machine = builder.find((m) => m.id === started!.machineId)!;
    expect(machine.state).toBe("destroyed");
    expect(machine.config.init.cmd.join(" ")).toContain(`context=${repo.url}#${commit}:web`);
    // The registry login is this app's own deploy token, written into the build machine's file
    // only: the org token is in no machine config and no request line, and the push used the
    // deploy token (the simulator's registry takes it for this app's repository alone).
    expect(machine.config.files).toEqual([
      { guest_path: "/root/.docker/config.json", raw_value: expect.any(String), mode: 0o400 },
    ]);
    const login = dockerLogin(machine.config.files![0]!.raw_value);
    expect(login).toMatch(/^x:fm2_/);
    expect(login).not.toContain(env.FLY_API_TOKEN!);
    expect((await sim.requests(name)).filter((r) => r.operation === "App_create_deploy_token")).toHaveLength(1);
    const events = JSON.stringify(await eventsOf(stub));
    expect(events).not.toContain(login!.slice(2));
    await expectTokenNowhere(name);
    const secretSets = await builderSecretSets();

    // Config only: same commit, new hash → a deploy that reuses the image.
    await stub.desire(notice({ ...app, configHash: "h2" }, "k2", commit));
    const second = await settle(stub);
    expect(second).toMatchObject({ status: "synced", deployed: { configHash: "h2" } });
    expect(await ofType(stub, "build.started")).toHaveLength(1);
    expect((await stub.deploy(second!.lastDeploy!.id))?.image).toBe(image);

    // A new commit of the app repo builds again.
    const next = await repo.commit({ "web/Dockerfile": "FROM scratch\nLABEL v=2\n" });
    await stub.desire(notice({ ...app, configHash: "h2" }, "k3", next));
    expect(await settle(stub)).toMatchObject({ status: "synced", deployed: { sourceCommit: next } });
    expect(await ofType(stub, "build.finished")).toHaveLength(2);
    // Unchanged credentials are not sent again for the second build (a public repo needs none).
    expect(await builderSecretSets()).toBe(secretSets);
    await expectTokenNowhere(name);
  });

  it("a missing Dockerfile fails the build with a reason naming the file; the running release stays", async () => {
    const name = unique("nodockerfile");
    const { repo, commit, app } = await gitApp(name, { "web/Dockerfile": "FROM scratch\n" });
    const stub = appStub(env, name);
    await stub.desire(notice(app, "k1", commit));
    await settle(stub);
    const before = (await sim.state(name)).machines as unknown as { id: string; config: { image: string } }[];
    const broken = await repo.commit({ "web/Dockerfile": null, "web/index.html": "hi\n" });
    await stub.desire(notice(app, "k2", broken));
    const summary = await settle(stub);
    expect(summary).toMatchObject({ status: "failed", deployed: { sourceCommit: commit } });
    expect((await stub.deploy(summary!.lastDeploy!.id))?.error).toMatch(/^build: .*web\/Dockerfile/);
    expect((await ofType(stub, "build.failed"))[0]?.reason).toContain("web/Dockerfile");
    expect((await sim.state(name)).machines).toEqual(before);
  });

  it("a hung build fails after the limit and its machine is destroyed", async () => {
    const name = unique("hung");
    const { commit, app } = await gitApp(name, { "web/Dockerfile": "FROM scratch\n" });
    await sim.addExitRule({ command: `registry.fly.io/${name}:`, exitCode: 0, runMs: 600_000 });
    const stub = appStub(env, name);
    await stub.desire(notice(app, "k1", commit));
    const summary = await settle(stub);
    expect(summary).toMatchObject({ status: "failed", deployed: { configHash: null } });
    const [started] = await ofType(stub, "build.started");
    const [failed] = await ofType(stub, "build.failed");
    expect(failed?.reason).toMatch(/past its limit of 5 s/);
    const builder = (await sim.state(BUILDER)).machines as unknown as SimMachineView[];
    expect(["destroying", "destroyed"]).toContain(builder.find((m) => m.id === started!.machineId)?.state);
    expect(((await sim.state(name)).machines as unknown[]).length).toBe(0);
  }, 30_000);
});

const builderSecretSets = async () =>
  (await sim.requests(BUILDER)).filter((r) => r.operation === "Secrets_update").length;

/**
 * The Fly token in no machine config and no logged request line (the lines of fly-requests.jsonl),
 * also not under layers of base64 (a docker config.json in a file is base64 of base64).
 */
async function expectTokenNowhere(app: string) {
  const token = env.FLY_API_TOKEN!;
  const machines = [...(await sim.state(BUILDER)).machines, ...(await sim.state(app)).machines];
  const lines = (await sim.requests()).map((r) => JSON.stringify({ method: r.method, path: r.path, body: r.body }));
  expect(lines.length).toBeGreaterThan(0);
  expect(unwrapped(JSON.stringify(machines))).not.toContain(token);
  expect(lines.filter((line) => unwrapped(line).includes(token))).toEqual([]);
  // The scan works: the docker config the builder secret carries does reveal it.
  expect(unwrapped(btoa(JSON.stringify({ auths: { x: { auth: btoa(`x:${token}`) } } })))).toContain(token);
}

/** `text` plus whatever its base64-looking runs decode to, three layers deep. */
function unwrapped(text: string, depth = 3): string {
  let out = text;
  if (depth === 0) return out;
  for (const run of text.match(/[A-Za-z0-9+/]{12,}={0,2}/g) ?? []) {
    try {
      out += `\n${unwrapped(atob(run), depth - 1)}`;
    } catch {
      // Not base64 after all.
    }
  }
  return out;
}

interface SimMachineView {
  id: string;
  state: string;
  config: { image: string; init: { cmd: string[] }; files?: { raw_value?: string }[] };
}

/** The `user:password` of Docker's config.json, base64 in a machine file. */
function dockerLogin(file: string | undefined): string | undefined {
  const config = JSON.parse(atob(file ?? "")) as { auths: Record<string, { auth: string }> };
  return atob(Object.values(config.auths)[0]!.auth);
}
