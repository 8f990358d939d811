import { env } from "cloudflare:test";
import { describe, expect, inject, it } from "vitest";
import { appStub } from "../../../src/durable/stubs";
import { flySimControl } from "../../fly-sim/control";
import {
  deployCount,
  deploysSettled,
  imageApp,
  lastSeq,
  newRepo,
  project,
  pushOf,
  settle,
  uniqueSuffix,
} from "./given";

const fly = () => flySimControl(inject("flyUrl"));

async function flyRequests(names: string[]): Promise<number> {
  const counts = await Promise.all(names.map(async (name) => (await fly().requests(name)).length));
  return counts.reduce((a, b) => a + b, 0);
}

describe("ProjectDO → AppDO → Fly simulator", () => {
  it("a config push changing one app of five deploys exactly that app; an idle tick calls Fly not at all", async () => {
    const s = uniqueSuffix();
    const names = ["a", "b", "c", "d", "e"].map((n) => `${n}-${s}`);
    const config = await newRepo("config");
    const files: Record<string, string> = { "project.yaml": "project: root\n" };
    for (const name of names) files[`apps/${name}/app.yaml`] = imageApp(name);
    const first = await config.commit(files);
    const stub = await project(config);
    await stub.tick(new Date().toISOString());
    await deploysSettled(names);
    for (const name of names) expect((await appStub(env, name).summary())?.status).toBe("synced");
    const before = await Promise.all(names.map(deployCount));
    expect(before).toEqual([1, 1, 1, 1, 1]);
    expect(await flyRequests(names)).toBeGreaterThan(0);

    const second = await config.commit({ [`apps/${names[2]}/app.yaml`]: imageApp(names[2]!, "28") });
    await stub.recordPush(pushOf(config, "refs/heads/main", first, second));
    await settle(stub);
    await deploysSettled(names);
    const after = await Promise.all(names.map(deployCount));
    expect(after.map((n, i) => n - before[i]!)).toEqual([0, 0, 1, 0, 0]);
    expect((await appStub(env, names[2]!).summary())?.status).toBe("synced");

    // Nothing changed since: a cron tick lists refs, appends nothing and makes no Fly request.
    const seq = await lastSeq(stub);
    const requests = await flyRequests(names);
    await stub.tick(new Date().toISOString());
    expect(await lastSeq(stub)).toBe(seq);
    expect(await flyRequests(names)).toBe(requests);
  });
});
