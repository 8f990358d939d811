// Promotion waves end to end in workerd: CI announces digests over the API, Tower commits them
// (the real git server takes the pushes), staging's AppDOs deploy on the Fly simulator, and once
// staging is healthy and soaked the same digests are committed to production's file and deploy.
import { env, runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, inject, it } from "vitest";
import type { TowerEnv } from "../../../src/env";
import { parseTrailers } from "../../../src/git";
import { WavesSchema } from "../../../src/worker/api/schemas";
import { flySimControl } from "../../fly-sim/control";
import { createRepo, type FixtureRepo } from "../../support/fixture-repo";
import { appStub } from "../do-stubs";
import { deploysSettled, settle, uniqueSuffix } from "../sync/given";
import { send } from "../webhook/deliver";

const API_TOKEN = "waves-api-token";
const ADMIN_TOKEN = "waves-admin-token";
const CI_TOKEN = "waves-ci-token";
const SOURCE = "5d2c1f9a0b7e6d5c4b3a29180706050403020100";

const digest = (repo: string, c: string) => `${repo}@sha256:${c.repeat(64)}`;
const fromApp = (name: string, wave: string) =>
  `app: ${name}\norg: personal\nprimary_region: arn\nsource:\n  type: image\n  from: images/${wave}.json\n  service: api\n`;

async function setUp(
  s: string,
  options: { project?: string; repo?: Parameters<typeof createRepo>[2]; via?: (repo: FixtureRepo) => string } = {},
) {
  const config = await createRepo(inject("gitUrl"), "waves-e2e", options.repo);
  const url = options.via ? options.via(config) : config.url;
  const project =
    options.project ??
    `project: waves\nwaves:\n  - {name: staging, apps: [stg-${s}]}\n  - {name: production, apps: [prod-${s}], soak: 1s}\n`;
  await config.commit({
    "project.yaml": project,
    "staging/app.yaml": fromApp(`stg-${s}`, "staging"),
    "production/app.yaml": fromApp(`prod-${s}`, "production"),
  });
  const settings: Partial<TowerEnv> = {
    CONFIG_REPO: url,
    CONFIG_REF: "main",
    CONFIG_PATH: ".",
    API_TOKEN,
    ADMIN_TOKEN,
    CI_TOKEN,
  };
  const stub = env.PROJECT.get(env.PROJECT.idFromName(`${url}#main:.`));
  await stub.configure({ repo: url, ref: "main", path: "." });
  const api = async (
    method: string,
    path: string,
    body?: unknown,
    token = method === "GET" ? API_TOKEN : ADMIN_TOKEN,
  ) => {
    const init: RequestInit = {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    };
    if (body !== undefined) init.body = JSON.stringify(body);
    const res = await send(new Request(`https://tower.test/api${path}`, init), settings);
    return {
      status: res.status,
      json: (await res.json()) as Record<string, unknown> & { error?: { message: string } },
    };
  };
  const announce = (images: Record<string, unknown>) =>
    api("POST", "/images", { images, source: { commit: SOURCE } }, CI_TOKEN);
  const waves = async () => WavesSchema.parse((await api("GET", "/waves")).json);
  await api("POST", "/sync");
  await settle(stub);
  return { config, stub, api, announce, waves, stg: `stg-${s}`, prod: `prod-${s}` };
}

async function lastImage(app: string): Promise<string | null> {
  const stub = appStub(env, app);
  const id = (await stub.deploys({ limit: 1 })).items[0]?.id;
  return id ? ((await stub.deploy(id))?.image ?? null) : null;
}

/** Runs the project's passes until `ready` holds (alarms for soak fire on their own too). */
async function until<T>(
  stub: Parameters<typeof settle>[0],
  ready: () => Promise<T | null | undefined | false>,
  ms = 30_000,
) {
  const end = Date.now() + ms;
  for (;;) {
    await runDurableObjectAlarm(stub);
    await settle(stub);
    const value = await ready();
    if (value) return value;
    if (Date.now() > end) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 150));
  }
}

const message = async (config: FixtureRepo, rev: string) => {
  const text = await config.cat(rev);
  const body = text.slice(text.indexOf("\n\n") + 2);
  return { subject: body.split("\n")[0], trailers: parseTrailers(body) };
};

describe("promotion waves", () => {
  it("announce → a commit with trailers → staging deploys → after soak production gets and deploys the same digests", async () => {
    const s = uniqueSuffix();
    const { config, stub, announce, waves, stg, prod } = await setUp(s);
    const before = await waves();
    expect(before.waves.map((w) => [w.name, w.apps.map((a) => a.name)])).toEqual([
      ["staging", [stg]],
      ["production", [prod]],
    ]);

    const api1 = { digest: digest("ghcr.io/acme/api", "a"), tag: "ghcr.io/acme/api:1.4.2" };
    const answer = await announce({ api: api1 });
    expect(answer.status).toBe(201);
    expect(answer.json).toMatchObject({ wave: "staging", result: "committed", branch: "main", gated: false });
    expect(JSON.parse(await config.cat("main:images/staging.json"))).toEqual({ api: api1 });
    expect(await message(config, "main")).toEqual({
      subject: "images: staging gets api 1.4.2",
      trailers: [
        ["Tower-Images", `api=${api1.digest}`],
        ["Tower-Source-Commit", SOURCE],
      ],
    });
    // The same announcement again changes nothing.
    expect((await announce({ api: api1 })).json).toMatchObject({ result: "unchanged" });

    const running = `ghcr.io/acme/api:1.4.2@sha256:${"a".repeat(64)}`;
    await until(stub, async () => (await lastImage(stg)) === running);
    await deploysSettled([stg]);
    // After the 1 s soak the promotion commit appears, built from staging's deploy.
    await until(stub, async () => (await config.cat("main")).includes("Tower-Promoted-From"));
    const promoted = await message(config, "main");
    expect(promoted.subject).toBe("images: promote staging → production (api 1.4.2)");
    expect(promoted.trailers).toEqual([
      ["Tower-Images", `api=${api1.digest}`],
      ["Tower-Promoted-From", "staging"],
      ["Tower-Deploy", expect.stringMatching(new RegExp(`^${stg} \\S+ \\(release \\d+\\)$`))],
    ]);
    expect(JSON.parse(await config.cat("main:images/production.json"))).toEqual({ api: api1 });

    await until(stub, async () => (await lastImage(prod)) === running);
    await deploysSettled([prod]);
    // Exactly those digests, and no build anywhere for production.
    const requests = await flySimControl(inject("flyUrl")).requests();
    const creates = requests.filter((r) => r.method === "POST" && r.app === prod && /\/machines$/.test(r.path));
    expect(creates.length).toBeGreaterThan(0);
    for (const c of creates) expect((c.body as { config: { image: string } }).config.image).toBe(running);
    expect(requests.filter((r) => r.path.includes("builder") && JSON.stringify(r.body ?? null).includes(prod))).toEqual(
      [],
    );

    const after = await until(stub, async () => {
      const w = await waves();
      return w.waves[1]?.health.status === "healthy" ? w : null;
    });
    expect(after.waves[1]).toMatchObject({ runs: { api: api1 }, promotion: { state: "current" } });
    expect(after.written).toMatchObject({
      staging: { purpose: { kind: "announce" } },
      production: { purpose: { kind: "promote", from: "staging" } },
    });
  });

  it("refuses unknown services, tags without digests and digests of another repo, naming each", async () => {
    const s = uniqueSuffix();
    const { config, announce, api } = await setUp(s);
    const head = (await config.refs())["refs/heads/main"];
    const refused = await announce({
      web: { digest: digest("ghcr.io/acme/web", "b") },
      api: { tag: "ghcr.io/acme/api:2.0.0" },
    });
    expect(refused.status).toBe(400);
    expect(refused.json.error).toMatchObject({
      code: "invalid_images",
      problems: [
        "unknown service web: no app of wave staging reads it (known: api)",
        "api: no digest for tag ghcr.io/acme/api:2.0.0 (a tag alone can move; Tower deploys digests)",
      ],
    });
    const mismatch = await announce({ api: { digest: digest("ghcr.io/acme/api", "c"), tag: "ghcr.io/other/api:1" } });
    expect(mismatch.json.error).toMatchObject({
      problems: ["api: digest repo ghcr.io/acme/api does not match tag repo ghcr.io/other/api"],
    });
    // CI's token only: the admin token does not announce, CI's does not read.
    expect((await api("POST", "/images", { images: {}, source: { commit: SOURCE } }, ADMIN_TOKEN)).status).toBe(401);
    expect((await api("GET", "/waves", undefined, CI_TOKEN)).status).toBe(401);
    expect((await config.refs())["refs/heads/main"]).toBe(head);
  });

  it("a failed staging deploy blocks promotion and the API says why", async () => {
    const s = uniqueSuffix();
    const { config, stub, announce, waves, stg } = await setUp(s);
    const broken = { digest: digest("ghcr.io/acme/crash-loop", "d"), tag: "ghcr.io/acme/crash-loop:1" };
    expect((await announce({ api: broken })).status).toBe(201);
    const head = (await config.refs())["refs/heads/main"];
    const blocked = await until(stub, async () => {
      const w = await waves();
      return w.waves[1]?.promotion?.state === "blocked" ? w : null;
    });
    expect(blocked.waves[0]!.health).toMatchObject({ status: "failed", reason: expect.stringContaining(stg) });
    expect(blocked.waves[1]!.promotion!.reason).toMatch(/^staging failed: /);
    await new Promise((r) => setTimeout(r, 1100));
    await runDurableObjectAlarm(stub);
    await settle(stub);
    expect((await config.refs())["refs/heads/main"]).toBe(head); // nothing promoted
    expect(await config.cat("main:images/production.json").catch(() => "missing")).toBe("missing");
  });

  it("a push race during the announcement's write-back is retried on the new tip", async () => {
    const s = uniqueSuffix();
    const { config, announce } = await setUp(s, { repo: { raceFirstPush: true } });
    const api1 = { digest: digest("ghcr.io/acme/api", "e") };
    const answer = await announce({ api: api1 });
    expect(answer.status).toBe(201);
    // Tower's commit sits on the human's, which won the race.
    expect(await config.cat("main~1")).toContain("a human's commit");
    expect(JSON.parse(await config.cat("main:images/staging.json"))).toEqual({ api: api1 });
  });

  it("with gate: {branch: auto} the deploy branch moves only after CI's success status", async () => {
    const s = uniqueSuffix();
    const hosts = inject("hostsUrl");
    const hostKey = new URL(hosts).host;
    const project = [
      "project: waves",
      "gate: {branch: auto}",
      "git_hosts:",
      `  "${hostKey}": {type: github, api: "${hosts}/github"}`,
      "waves:",
      `  - {name: staging, apps: [stg-${s}]}`,
      `  - {name: production, apps: [prod-${s}], approve: manual}`,
      "",
    ].join("\n");
    const { config, stub, announce, waves } = await setUp(s, { project, via: (r) => `${hosts}/git/${r.name}.git` });
    const main = (await config.refs())["refs/heads/main"];
    const api1 = { digest: digest("ghcr.io/acme/api", "f") };
    const answer = await announce({ api: api1 });
    expect(answer.json).toMatchObject({ result: "committed", branch: "auto", gated: true });
    const commit = String(answer.json.commit);
    expect((await config.refs())["refs/heads/auto"]).toBe(commit);

    // CI has said nothing yet (GitHub's combined state: pending): main stays.
    await runDurableObjectAlarm(stub);
    await settle(stub);
    expect((await config.refs())["refs/heads/main"]).toBe(main);
    expect((await waves()).gate).toMatchObject({
      branch: "auto",
      deployBranch: "main",
      waiting: { commit, wave: "staging" },
    });

    const status = (state: string) =>
      fetch(`${hosts}/github/repos/git/${config.name}/statuses/${commit}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ state, context: "ci/test" }),
      });
    await status("pending");
    await runDurableObjectAlarm(stub);
    expect((await config.refs())["refs/heads/main"]).toBe(main);
    // Someone pushes to main meanwhile: CI's success cannot fast-forward, so Tower commits the
    // same change again on main's new tip, and waits for CI on that one.
    const human = await config.commit({ "README.md": "hello\n" });
    await status("success");
    const rebased = await until(stub, async () => {
      const waiting = (await waves()).gate?.waiting;
      return waiting && waiting.commit !== commit ? waiting.commit : null;
    });
    expect((await config.refs())["refs/heads/main"]).toBe(human);
    expect(await config.cat(`${rebased}~1`)).toBe(await config.cat(human));
    const again = (state: string) =>
      fetch(`${hosts}/github/repos/git/${config.name}/statuses/${rebased}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ state, context: "ci/test" }),
      });
    await again("success");
    await until(stub, async () => (await config.refs())["refs/heads/main"] === rebased);
    expect((await waves()).gate?.waiting).toBeNull();
    expect(JSON.parse(await config.cat("main:images/staging.json"))).toEqual({ api: api1 });
  });
});
