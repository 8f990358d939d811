import { env } from "cloudflare:test";
import { describe, expect, inject, it } from "vitest";
import type { StoredEvent } from "../../../../src/durable/contract";
import { createRepo } from "../../../support/fixture-repo";

const fresh = (name: string) => env.PROJECT.get(env.PROJECT.idFromName(`${name}-${crypto.randomUUID()}`));

describe("ProjectDO", () => {
  it("takes its settings from env until configure() overrides them", async () => {
    const stub = fresh("settings");
    expect(await stub.configStatus()).toEqual({
      repo: env.CONFIG_REPO,
      ref: env.CONFIG_REF,
      path: env.CONFIG_PATH,
      commit: null,
      lastEvaluation: null,
      errors: [],
    });
    await stub.configure({ repo: "https://git.example/acme/config.git", ref: "refs/tags/live" });
    expect(await stub.configStatus()).toMatchObject({
      repo: "https://git.example/acme/config.git",
      ref: "refs/tags/live",
    });
    expect(await stub.listApps()).toEqual([]);
  });

  it("records a config repo that cannot be fetched as a failure naming the repo, and retries on the next tick", async () => {
    const stub = fresh("missing");
    await stub.configure({ repo: `${inject("gitUrl")}/does-not-exist.git` });
    await stub.tick("2026-01-01T00:00:00.000Z");
    const events = (await stub.events(0, 100)) as unknown as StoredEvent[];
    expect(events.map((e) => e.type)).toEqual(["config.failed"]);
    expect(events[0]?.data).toMatchObject({ stage: "fetch", commit: null });
    const status = await stub.configStatus();
    expect(status.errors[0]?.message).toMatch(/does-not-exist/);
    expect(status.commit).toBeNull();
  });

  it("follows a tag when CONFIG_REF names one, and pages its log", async () => {
    const repo = await createRepo(inject("gitUrl"), "tagged");
    const v1 = await repo.commit({ "project.yaml": "project: root\n" });
    await repo.commit({ "project.yaml": "project: root\nprune: false\n" });
    await repo.tag("live", v1);
    const stub = fresh("tagged");
    await stub.configure({ repo: repo.url, ref: "refs/tags/live" });
    await stub.tick("2026-01-01T00:00:00.000Z");
    expect((await stub.configStatus()).commit).toBe(v1);
    const all = (await stub.events(0, 100)) as unknown as StoredEvent[];
    expect(all.map((e) => e.type)).toEqual(["config.fetched", "config.evaluated"]);
    expect(((await stub.events(1, 100)) as unknown as StoredEvent[]).map((e) => e.seq)).toEqual([2]);
    expect(await stub.events(0, 1)).toHaveLength(1);
  });
});
