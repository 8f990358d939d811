/**
 * Preview apps end to end: real GitHub pull_request payloads (adapted to the test repos) through
 * webhook parsing, the ProjectDO, the preview's own AppDO, a build on the Fly simulator, destroy.
 */
import { env } from "cloudflare:test";
import { describe, expect, inject, it } from "vitest";
import { flySimControl } from "../../fly-sim/control";
import { appStub } from "../do-stubs";
import {
  deployCount,
  deploysSettled,
  eventsAfter,
  gitApp,
  gitAppDeployed,
  imageApp,
  lastSeq,
  newRepo,
  project,
  uniqueSuffix,
  waitFor,
} from "./given";
import { deliverPull, mergeRequest, PREVIEWS, pullRequest } from "./pull-requests";

const fly = () => flySimControl(inject("flyUrl"));

async function flyApps(name: string): Promise<string[]> {
  return (await fly().state(name)).apps.map((a) => a.name);
}

describe("preview apps for pull requests", () => {
  it("open deploys the PR head, synchronize redeploys, close destroys the preview and leaves the app alone", async () => {
    const s = uniqueSuffix();
    const name = `web-${s}`;
    const preview = `${name}-pr-7`;
    const { api, c1, stub } = await gitAppDeployed(name, PREVIEWS);
    const mainDeploys = await deployCount(name);

    const c2 = await api.commit({ Dockerfile: "FROM nginx:2\n" }, { branch: "feature", parent: c1 });
    await api.setRef("refs/pull/7/head", c2);
    await deliverPull(stub, await pullRequest(api, "opened", 7));
    await deploysSettled([preview]);
    expect(await appStub(env, preview).summary()).toMatchObject({ status: "synced", deployed: { sourceCommit: c2 } });
    const listed = (await stub.listApps()).find((a) => a.name === preview);
    expect(listed?.preview).toEqual({ app: name, number: 7, head: c2 });
    // Known to the API and dashboard by name (its commit status links its deploys there).
    expect(await stub.appSummary(preview)).toMatchObject({ status: "synced", preview: { app: name, number: 7 } });
    expect(await stub.configuredApp(preview)).toMatchObject({ name: preview, preview: { app: name, number: 7 } });
    const running = (await fly().state(preview)).machines.filter((m) => m.app === preview && m.state === "started");
    expect(running.length).toBe(1);

    const c3 = await api.commit({ Dockerfile: "FROM nginx:3\n" }, { branch: "feature", parent: c2 });
    await api.setRef("refs/pull/7/head", c3);
    await deliverPull(stub, await pullRequest(api, "synchronize", 7));
    await deploysSettled([preview]);
    expect(await appStub(env, preview).summary()).toMatchObject({ status: "synced", deployed: { sourceCommit: c3 } });

    const seq = await lastSeq(stub);
    await deliverPull(stub, await pullRequest(api, "closed", 7));
    const closed = (await eventsAfter(stub, seq)).filter((e) => e.type === "preview.closed");
    expect(closed.map((e) => e.data)).toEqual([expect.objectContaining({ app: preview, of: name, number: 7 })]);
    await waitFor(async () => !(await flyApps(preview)).includes(preview));
    expect(await flyApps(name)).toContain(name);
    expect(await deployCount(name)).toBe(mainDeploys);
    expect(await appStub(env, name).summary()).toMatchObject({ status: "synced", deployed: { sourceCommit: c1 } });
    expect((await stub.listApps()).map((a) => a.name)).toEqual([name]);
    expect(await stub.configuredApp(preview)).toBeNull();
  }, 30_000);

  it("a fork's pull request is ignored with an event saying why", async () => {
    const s = uniqueSuffix();
    const name = `fork-${s}`;
    const { api, c1, stub } = await gitAppDeployed(name, PREVIEWS);
    await api.setRef("refs/pull/3/head", c1);
    const seq = await lastSeq(stub);
    await deliverPull(stub, await pullRequest(api, "opened", 3, true));
    const events = await eventsAfter(stub, seq);
    expect(events.map((e) => e.type)).toEqual(["pull.received", "pull.ignored"]);
    expect(String(events[1]?.data.reason)).toContain("fork");
    expect(await flyApps(`${name}-pr-3`)).not.toContain(`${name}-pr-3`);
  }, 30_000);

  it("GitLab: a merge request's preview follows refs/merge-requests/<iid>/head; merge destroys its machines, volumes, IPs and app", async () => {
    const s = uniqueSuffix();
    const name = `lab-${s}`;
    const preview = `${name}-pr-12`;
    const extra = "http_service:\n  internal_port: 8080\nmounts:\n  - source: data\n    destination: /data\n";
    const { api, c1, stub } = await gitAppDeployed(name, `${extra}${PREVIEWS}`);
    const mainState = await fly().state(name);

    const c2 = await api.commit({ Dockerfile: "FROM nginx:2\n" }, { branch: "front-page", parent: c1 });
    // GitLab keeps no refs/pull/: only its own merge request ref may be read.
    await api.setRef("refs/merge-requests/12/head", c2);
    await deliverPull(stub, await mergeRequest(api, "open", 12));
    await deploysSettled([preview]);
    expect(await appStub(env, preview).summary()).toMatchObject({ status: "synced", deployed: { sourceCommit: c2 } });
    const live = await fly().state(preview);
    expect(live.machines.filter((m) => m.app === preview && m.state === "started")).toHaveLength(1);
    expect(live.volumes.filter((v) => v.app === preview)).toHaveLength(1);
    expect(live.apps.find((a) => a.name === preview)?.ips.length).toBeGreaterThan(0);

    await deliverPull(stub, await mergeRequest(api, "merge", 12));
    await waitFor(async () => !(await flyApps(preview)).includes(preview));
    const gone = await fly().state(preview);
    expect(gone.machines.filter((m) => m.app === preview)).toEqual([]);
    expect(gone.volumes.filter((v) => v.app === preview)).toEqual([]);
    // Nothing of the app the preview came from was touched.
    const after = await fly().state(name);
    expect(after.machines.map((m) => [m.id, m.versions])).toEqual(mainState.machines.map((m) => [m.id, m.versions]));
    expect(after.volumes.map((v) => v.id)).toEqual(mainState.volumes.map((v) => v.id));
    expect(after.apps.find((a) => a.name === name)?.ips).toEqual(mainState.apps.find((a) => a.name === name)?.ips);
  }, 30_000);

  it("a closed pull request destroys only previews Tower created: a Fly app that merely has the name stays", async () => {
    const name = `own-${uniqueSuffix()}`;
    const squatter = `${name}-pr-9`;
    const { api, stub } = await gitAppDeployed(name, PREVIEWS);
    // Someone made an app with the preview's name by hand (flyctl apps create), outside Tower.
    const made = await fetch(`${inject("flyUrl")}/v1/apps`, {
      method: "POST",
      headers: { authorization: "Bearer tower-test-token", "content-type": "application/json" },
      body: JSON.stringify({ name: squatter, org_slug: "personal" }),
    });
    expect(made.status).toBe(201);
    const seq = await lastSeq(stub);
    await deliverPull(stub, await pullRequest(api, "closed", 9));
    const events = await eventsAfter(stub, seq);
    expect(events.map((e) => e.type)).toEqual(["pull.received", "pull.ignored"]);
    expect(events[1]?.data.reason).toBe("pull request #9 has no preview");
    expect(await flyApps(squatter)).toEqual([squatter]);
    expect((await fly().requests(squatter)).filter((r) => r.method === "DELETE")).toEqual([]);
  }, 30_000);
});

describe("previews stay in their lane (red team)", () => {
  it("a preview name template that lands on another configured app is refused: that app is neither deployed into nor destroyed", async () => {
    const s = uniqueSuffix();
    const victim = `vic-${s}-2`;
    const name = `web-${s}`;
    const api = await newRepo("api");
    const c1 = await api.commit({ Dockerfile: "FROM nginx\n" });
    const config = await newRepo("config");
    await config.commit({
      "project.yaml": "project: root\n",
      "victim/app.yaml": imageApp(victim),
      // `previews.name` without <app>: PR #2's preview would be named like the victim.
      "web/app.yaml": `${gitApp(name, api)}previews:\n  enabled: true\n  name: vic-${s}-<number>\n`,
    });
    const stub = await project(config);
    await stub.tick(new Date().toISOString());
    await deploysSettled([name, victim]);
    const victimDeploys = await deployCount(victim);
    const c2 = await api.commit({ Dockerfile: "FROM evil\n" }, { branch: "feature", parent: c1 });
    await api.setRef("refs/pull/2/head", c2);
    const seq = await lastSeq(stub);
    await deliverPull(stub, await pullRequest(api, "opened", 2));
    const events = await eventsAfter(stub, seq);
    expect(events.map((e) => e.type)).toEqual(["pull.received", "pull.ignored"]);
    expect(String(events[1]?.data.reason)).toContain(
      `its name ${victim} (previews.name of ${name}) is an app of the config`,
    );
    await deliverPull(stub, await pullRequest(api, "closed", 2));
    expect(await deployCount(victim)).toBe(victimDeploys);
    expect(await flyApps(victim)).toEqual([victim]);
    expect((await fly().requests(victim)).filter((r) => r.method === "DELETE")).toEqual([]);
    expect(await appStub(env, victim).summary()).toMatchObject({ status: "synced" });
  }, 30_000);

  it("a pull request the payload calls same-repo but whose head is no branch of the repo counts as a fork", async () => {
    const s = uniqueSuffix();
    const name = `forged-${s}`;
    const api = await newRepo("api");
    const c1 = await api.commit({ Dockerfile: "FROM nginx\n" });
    const config = await newRepo("config");
    await config.commit({
      "project.yaml": "project: root\n",
      "web/app.yaml": `${gitApp(name, api)}previews:\n  enabled: true\n`,
    });
    const stub = await project(config);
    await stub.tick(new Date().toISOString());
    await deploysSettled([name]);
    // A fork's commit: the host keeps it at refs/pull/4/head, but no branch of the repo has it.
    const evil = await api.commit({ Dockerfile: "FROM evil\n" }, { branch: "mallory", parent: c1 });
    await api.setRef("refs/pull/4/head", evil);
    await api.deleteRef("refs/heads/mallory");
    const seq = await lastSeq(stub);
    // Signed with a leaked secret, the payload claims the head is in the base repo (fork: false).
    await deliverPull(stub, await pullRequest(api, "opened", 4, false));
    const events = await eventsAfter(stub, seq);
    expect(events.map((e) => e.type)).toEqual(["pull.received", "pull.ignored"]);
    expect(String(events[1]?.data.reason)).toContain("fork");
    expect(await flyApps(`${name}-pr-4`)).not.toContain(`${name}-pr-4`);
  }, 30_000);
});
