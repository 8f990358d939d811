// Image automation end to end in workerd: the registry stand-in (v2, bearer tokens, paged tags),
// the real git server taking Tower's pushes, the real ProjectDO and AppDOs, the Fly simulator.
import { env } from "cloudflare:test";
import { describe, expect, inject, it } from "vitest";
import type { TowerEnv } from "../../../src/env";
import { parseTrailers } from "../../../src/git";
import { ImagesSchema } from "../../../src/worker/api/schemas";
import { createRepo } from "../../support/fixture-repo";
import { registryFixture, uniqueRepo } from "../../support/registry-fixture";
import { deploysSettled, eventsAfter, settle, uniqueSuffix } from "../sync/given";
import { send } from "../webhook/deliver";

const API_TOKEN = "images-api-token";
const ADMIN_TOKEN = "images-admin-token";

const appYaml = (name: string, image: string, policy: string) =>
  `# ${name}: the API (team A)\napp: ${name}   # Fly app\norg: personal\nprimary_region: arn\n` +
  `source:\n  type: image\n  # Tower pins the next line\n  image: ${image}   # do not edit\n  policy: ${policy}\n`;

async function setUp(files: (image: string, s: string) => Record<string, string>, tags: string[]) {
  const reg = registryFixture(inject("registryUrl"));
  const repoName = uniqueRepo("acme/api");
  const digests: Record<string, string> = {};
  for (const tag of tags) digests[tag] = await reg.push(repoName, tag);
  const image = `${reg.host}/${repoName}`;
  const config = await createRepo(inject("gitUrl"), "images-e2e");
  const s = uniqueSuffix();
  await config.commit({ "project.yaml": "project: images\n", ...files(image, s) });
  const settings: Partial<TowerEnv> = {
    CONFIG_REPO: config.url,
    CONFIG_REF: "main",
    CONFIG_PATH: ".",
    API_TOKEN,
    ADMIN_TOKEN,
  };
  // The root project's Durable Object for these settings (the id projectStub gives the Worker).
  const stub = env.PROJECT.get(env.PROJECT.idFromName(`${config.url}#main:.`));
  await stub.configure({ repo: config.url, ref: "main", path: "." });
  const api = async (method: string, path: string) => {
    const token = method === "GET" ? API_TOKEN : ADMIN_TOKEN;
    const res = await send(
      new Request(`https://tower.test/api${path}`, { method, headers: { authorization: `Bearer ${token}` } }),
      settings,
    );
    return { status: res.status, json: (await res.json()) as unknown };
  };
  return { reg, repoName, image, digests, config, stub, api, s };
}

async function lastImage(app: string): Promise<string | null> {
  const stub = env.APP.get(env.APP.idFromName(app));
  const page = await stub.deploys({ limit: 1 });
  const id = page.items[0]?.id;
  return id ? ((await stub.deploy(id))?.image ?? null) : null;
}

describe("image automation", () => {
  it("a new tag in the policy → a commit with trailers and unchanged comments → a deploy of that digest", async () => {
    const { image, digests, config, stub, api, s } = await setUp(
      (image, s) => ({
        "api/app.yaml": appYaml(`api-${s}`, `${image}:1.4.2@${"sha256:".padEnd(71, "0")}`, '{semver: "^1.4"}'),
      }),
      ["1.4.2", "1.5.0", "1.6.0-rc.1", "2.0.0"],
    );
    const name = `api-${s}`;
    expect((await api("POST", "/sync")).status).toBe(202);
    await settle(stub);
    await deploysSettled([name]);

    const pinned = `${image}:1.5.0@${digests["1.5.0"]}`;
    expect(await config.cat("main:api/app.yaml")).toBe(appYaml(name, pinned, '{semver: "^1.4"}'));
    const head = await config.cat("main");
    expect(head).toContain(`image: ${name} 1.4.2 → 1.5.0`);
    expect(parseTrailers(head.slice(head.indexOf("\n\n") + 2))).toEqual([
      ["Tower-Image-Policy", "api/app.yaml semver ^1.4"],
      ["Tower-Previous", `${image}:1.4.2@${"sha256:".padEnd(71, "0")}`],
    ]);
    expect(await lastImage(name)).toBe(pinned);
    const events = await eventsAfter(stub, 0);
    expect(events.filter((e) => e.type === "image.committed").map((e) => e.data.image)).toEqual([pinned]);

    const images = ImagesSchema.parse((await api("GET", "/images")).json);
    expect(images.images).toEqual([expect.objectContaining({ image, tagCount: 4, error: null })]);
    expect(images.apps).toEqual([
      expect.objectContaining({
        app: name,
        status: "committed",
        chosen: "1.5.0",
        why: expect.stringContaining("^1.4"),
      }),
    ]);

    // The next tick: the pin is current, nothing is committed or logged.
    const seq = events.at(-1)?.seq ?? 0;
    await stub.tick(new Date().toISOString());
    await settle(stub);
    const after = ImagesSchema.parse((await api("GET", "/images")).json);
    expect(after.apps[0]).toMatchObject({ status: "current", pinned });
    expect((await eventsAfter(stub, seq)).filter((e) => e.type.startsWith("image."))).toEqual([]);
  });

  it("write_back false deploys the new digest without a commit; a refused image is an error and the others go on", async () => {
    const { reg, image, digests, config, stub, api, s } = await setUp(
      (image, s) => ({
        "live/app.yaml": appYaml(`live-${s}`, `${image}:1.0.0`, "{semver: '^1', write_back: false}"),
      }),
      ["1.0.0", "1.1.0"],
    );
    const privateRepo = uniqueRepo("acme/private");
    await reg.push(privateRepo, "1.0.0");
    await reg.makePrivate(privateRepo, "bot", "s3cret");
    const own = await config.commit({
      "secret/app.yaml": appYaml(`secret-${s}`, `${reg.host}/${privateRepo}:1.0.0`, "{semver: '^1'}"),
    });
    const live = `live-${s}`;
    await api("POST", "/sync");
    await settle(stub);
    await deploysSettled([live]);

    const override = `${image}:1.1.0@${digests["1.1.0"]}`;
    expect(await lastImage(live)).toBe(override);
    expect(await config.cat("main:live/app.yaml")).toContain(`${image}:1.0.0   # do not edit`);
    expect((await config.refs())["refs/heads/main"]).toBe(own); // Tower pushed nothing
    const events = await eventsAfter(stub, 0);
    expect(events.filter((e) => e.type === "image.overridden").map((e) => e.data)).toEqual([
      { app: live, image: override, pinned: `${image}:1.0.0`, policy: "semver ^1" },
    ]);
    const images = ImagesSchema.parse((await api("GET", "/images")).json);
    const byApp = Object.fromEntries(images.apps.map((a) => [a.app, a]));
    expect(byApp[live]).toMatchObject({
      status: "deployed-only",
      override: { pinned: `${image}:1.0.0`, image: override },
    });
    expect(byApp[`secret-${s}`]).toMatchObject({ status: "error", error: { code: "unauthorized" } });
    expect(images.images.find((i) => i.image.endsWith(privateRepo))?.error?.message).toMatch(/refused access/);
  });

  // Issue 16: a scan round draws on the ProjectDO pass's budget of 50 subrequests, and its registry
  // requests count in it. (The old code sent up to 300 in one slice without counting them: its
  // figure here stayed under 50 while one invocation sent all of the round's requests.)
  it(
    "a round over 25 images spreads its registry requests over passes of at most 50 subrequests",
    { timeout: 90_000 },
    async () => {
      const { reg, config, stub, api, s } = await setUp(() => ({}), ["1.0.0"]);
      const files: Record<string, string> = {};
      const repos: string[] = [];
      for (let i = 0; i < 25; i++) {
        const repoName = uniqueRepo(`acme/svc${i}`);
        repos.push(repoName);
        await reg.push(repoName, "1.0.0");
        await reg.push(repoName, "1.1.0");
        files[`svc${i}/app.yaml`] = appYaml(
          `svc${i}-${s}`,
          `${reg.host}/${repoName}:1.0.0`,
          "{semver: '^1', write_back: false}",
        );
      }
      await config.commit(files);
      await api("POST", "/sync");
      // The round may wait out a registry's Retry-After between passes: run passes until it ends.
      for (let i = 0; i < 100; i++) {
        await settle(stub);
        if ((await stub.images()).scanning === null) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      const images = ImagesSchema.parse((await api("GET", "/images")).json);
      expect(images.apps).toHaveLength(25);
      expect(images.apps.every((a) => a.chosen === "1.1.0")).toBe(true);
      // More registry requests than one invocation may make, yet no pass over 50 with them counted.
      const stats = await reg.stats();
      const sent = repos.reduce((sum, repo) => sum + (stats.requests[repo] ?? 0), 0);
      expect(sent).toBeGreaterThan(50);
      expect((await stub.backlog()).maxPassSubrequests).toBeLessThanOrEqual(50);
    },
  );
});
