import { describe, expect, inject, it } from "vitest";
import { evaluateTree, memoryFileTree } from "../../../src/config";
import { followedApps } from "../../../src/durable/images/image-apps";
import { commitPin } from "../../../src/durable/images/pin-commit";
import { scanSlice, startRound } from "../../../src/durable/images/scan";
import { initialScanState } from "../../../src/durable/images/scan-state";
import { parseTrailers } from "../../../src/git";
import { RegistryClient } from "../../../src/registry";
import { createRepo } from "../../support/fixture-repo";
import { registryFixture, uniqueRepo } from "../../support/registry-fixture";

const AT = "2026-11-29T23:00:00.000Z";

async function setUp(files: (image: string) => Record<string, string>, tags: string[]) {
  const reg = registryFixture(inject("registryUrl"));
  const repoName = uniqueRepo("acme/api");
  const digests: Record<string, string> = {};
  for (const tag of tags) digests[tag] = await reg.push(repoName, tag);
  const image = `${reg.host}/${repoName}`;
  const config = await createRepo(inject("gitUrl"), "images-config");
  const content = { "project.yaml": "project: p\n", ...files(image) };
  await config.commit(content);
  const ev = await evaluateTree(memoryFileTree(content), { secrets: () => undefined, defaultOrg: "acme" });
  expect(ev.errors).toEqual([]);
  return { reg, repoName, image, digests, config, followed: followedApps(ev.apps) };
}

const appYaml = (name: string, image: string, policy: string) =>
  `# ${name}: owned by team A\napp: ${name}   # Fly app\nprimary_region: ams\nsource:\n  type: image\n  image: ${image}   # pinned by Tower\n  policy: ${policy}\n`;

describe("an image scan (registry stand-in + git server)", () => {
  it("commits the newest fitting tag with trailers and comments kept; two apps on one image cost one listing", async () => {
    const { reg, repoName, image, digests, config, followed } = await setUp(
      (image) => ({
        "api/app.yaml": appYaml("api", `${image}:1.4.2`, '{semver: "^1.4"}'),
        "worker/app.yaml": appYaml("worker", `${image}:1.4.2`, '{semver: "~1.4"}'),
      }),
      ["1.4.2", "1.4.3", "1.5.0", "1.6.0-rc.1", "2.0.0", "latest"],
    );
    const registry = new RegistryClient();
    const repo = { url: config.url, branch: "main", path: "." };
    const ports = { registry, commitPin: (app: never, next: string, why: string) => commitPin(repo, app, next, why) };
    const round = startRound(initialScanState(), "r1", AT);
    const { state, events, more } = await scanSlice({ state: round, apps: followed.apps, at: AT }, ports);
    expect(more).toBe(false);
    // 6 tags at 3 per page: 2 pages, listed once for both apps.
    expect((await reg.stats()).tagLists[repoName]).toBe(2);
    expect(events.map((e) => [e.type, e.data.app, e.data.image])).toEqual([
      ["image.committed", "api", `${image}:1.5.0@${digests["1.5.0"]}`],
      ["image.committed", "worker", `${image}:1.4.3@${digests["1.4.3"]}`],
    ]);
    expect(state.apps.api).toMatchObject({
      status: "committed",
      chosen: "1.5.0",
      why: expect.stringContaining("semver ^1.4"),
    });
    const api = await config.cat("main:api/app.yaml");
    expect(api).toBe(appYaml("api", `${image}:1.5.0@${digests["1.5.0"]}`, '{semver: "^1.4"}'));
    const head = await config.cat("main");
    expect(head).toContain("author Tower <tower@users.noreply.tower.invalid>");
    expect(head).toMatch(/image: worker 1\.4\.2 → 1\.4\.3/);
    expect(parseTrailers(head.slice(head.indexOf("\n\n") + 2))).toEqual([
      ["Tower-Image-Policy", "worker/app.yaml semver ~1.4"],
      ["Tower-Previous", `${image}:1.4.2`],
    ]);
  });

  it("write_back false deploys without a commit; suspend freezes; a tag outside the policy changes nothing", async () => {
    const { image, digests, config, followed } = await setUp(
      (image) => ({
        "live/app.yaml": appYaml("live", `${image}:1.0.0`, "{semver: '^1', write_back: false}"),
        "frozen/app.yaml": appYaml("frozen", `${image}:1.0.0`, "{semver: '^1', suspend: true}"),
        "main/app.yaml": appYaml("main", `${image}:main-9`, "{pattern: '^main-(?<n>\\d+)$', order: numeric, by: n}"),
      }),
      ["1.0.0", "1.1.0", "2.0.0", "main-9", "main-10", "feature-99"],
    );
    const before = (await config.refs())["refs/heads/main"];
    const repo = { url: config.url, branch: "main", path: "." };
    const ports = {
      registry: new RegistryClient(),
      commitPin: (app: never, next: string, why: string) => commitPin(repo, app, next, why),
    };
    const round = startRound(initialScanState(), "r1", AT);
    const first = await scanSlice({ state: round, apps: followed.apps, at: AT }, ports);
    expect(first.events.map((e) => [e.type, e.data.app])).toEqual([
      ["image.overridden", "live"],
      ["image.committed", "main"],
    ]);
    expect(first.state.apps.live).toMatchObject({
      status: "deployed-only",
      override: { pinned: `${image}:1.0.0`, image: `${image}:1.1.0@${digests["1.1.0"]}` },
    });
    expect(first.state.apps.frozen).toMatchObject({ status: "suspended" });
    expect(first.state.apps.main).toMatchObject({ chosen: "main-10" });
    expect(await config.cat("main:live/app.yaml")).toContain(`${image}:1.0.0 `);
    expect((await config.refs())["refs/heads/main"]).not.toBe(before);

    // The next round: the override stands (no second event), nothing else moves.
    const again = await scanSlice({ state: startRound(first.state, "r2", AT), apps: followed.apps, at: AT }, ports);
    expect(again.events.filter((e) => e.data.app === "live")).toEqual([]);
    expect(again.state.apps.live?.status).toBe("deployed-only");
  });

  it("a registry that refuses gives that image an error and waits out a 429", async () => {
    const { reg, repoName, followed } = await setUp(
      (image) => ({ "api/app.yaml": appYaml("api", `${image}:1.0.0`, "{semver: '^1'}") }),
      ["1.0.0"],
    );
    await reg.fault(repoName, 429, { retryAfter: "120" });
    const ports = {
      registry: new RegistryClient(),
      commitPin: async () => ({ kind: "unchanged" as const, tip: "", attempts: 1 }),
    };
    const round = startRound(initialScanState(), "r1", AT);
    const { state } = await scanSlice({ state: round, apps: followed.apps, at: AT }, ports);
    const image = followed.apps[0]?.image ?? "";
    expect(state.images[image]?.error).toMatchObject({ code: "rate_limited", retryAfterMs: 120_000 });
    expect(state.apps.api).toMatchObject({ status: "error", why: expect.stringContaining("429") });
    const later = async (at: string) => {
      const registry = new RegistryClient();
      await scanSlice({ state: startRound(state, "r", at), apps: followed.apps, at }, { ...ports, registry });
      return registry.requests;
    };
    expect(await later("2026-11-29T23:01:00.000Z")).toBe(0);
    expect(await later("2026-11-29T23:02:01.000Z")).toBeGreaterThan(0);
  });
});
