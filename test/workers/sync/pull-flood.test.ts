/**
 * One ProjectDO serves every project of the config, so a flood of pull request events for one
 * repo (anyone holding a leaked webhook secret can send them, each with a new delivery id) must
 * not hold up other apps: routing pull requests gets part of a pass, never all of it.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { StoredEvent } from "../../../src/durable/contract";
import { appStub } from "../do-stubs";
import { deploysSettled, eventsAfter, gitApp, imageApp, newRepo, project, pushOf, settle, uniqueSuffix } from "./given";
import { pullRequest } from "./pull-requests";

describe("a flood of pull request events", () => {
  it("does not starve another app's deploy: the next pass still tells it", async () => {
    const s = uniqueSuffix();
    const web = `flood-${s}`;
    const other = `other-${s}`;
    const api = await newRepo("api");
    await api.commit({ Dockerfile: "FROM nginx\n" });
    const config = await newRepo("config");
    const first = await config.commit({
      "project.yaml": "project: root\n",
      "web/app.yaml": `${gitApp(web, api)}previews:\n  enabled: true\n`,
      "other/app.yaml": imageApp(other),
    });
    const stub = await project(config);
    await stub.tick(new Date().toISOString());
    await deploysSettled([web, other]);

    // 60 forged pull requests (no such refs: each still costs Tower one listing to find out), then
    // a config change to another app while they wait.
    const pulls = await Promise.all(Array.from({ length: 60 }, (_, i) => pullRequest(api, "opened", 1000 + i)));
    await Promise.all(pulls.map((pull) => stub.recordPullRequest(pull)));
    const second = await config.commit({ "other/app.yaml": imageApp(other, "28") });
    const push = pushOf(config, "refs/heads/main", first, second);
    await stub.recordPush(push);
    await settle(stub);
    await deploysSettled([other]);

    // The other app was told in the pass that read the change, while pull requests still waited.
    const events = await eventsAfter(stub, 0);
    const lastPull = events.filter((e) => e.type === "pull.ignored").at(-1)!;
    const appEvents = (await appStub(env, other).events(0, 100)) as unknown as StoredEvent[];
    const told = appEvents.find((e) => e.type === "desired.changed" && e.data.cause === `push:${push.deliveryId}`);
    expect(told).toBeDefined();
    expect(Date.parse(told!.at)).toBeLessThan(Date.parse(lastPull.at));
  }, 30_000);
});
