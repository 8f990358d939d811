/**
 * Feedback from a real sync: a config repo on the test git server, the ProjectDO and AppDOs in
 * workerd, the Fly simulator, and the recording git-host API standing in for the config repo's
 * host (named in the root project.yaml's `git_hosts`).
 */
import { env, runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, inject, it } from "vitest";
import { feedbackHosts } from "../../support/feedback-hosts/control";
import type { RecordedRequest } from "../../support/feedback-hosts/server";
import { appStub } from "../do-stubs";
import {
  deploysSettled,
  eventsAfter,
  imageApp,
  newRepo,
  type ProjectStub,
  project,
  pushAndSettle,
  uniqueSuffix,
} from "./given";

const hosts = feedbackHosts(inject("hostsUrl"));
const TOKENS = Object.values(JSON.parse(env.GIT_CREDENTIALS ?? "{}") as Record<string, string>);

function rootProject(): string {
  const gitHost = new URL(inject("hostsUrl")).host;
  return [
    "project: root",
    "git_hosts:",
    `  "${gitHost}": {type: gitlab, api: "${inject("hostsUrl")}/gitlab"}`,
    "notify:",
    "  - type: webhook",
    "    url_env: NOTIFY_HOOK",
    "    secret_env: NOTIFY_HOOK_KEY",
    "    events: [config.invalid, deploy.succeeded]",
    "",
  ].join("\n");
}

async function until(
  stubs: { project: ProjectStub; app: string },
  match: string,
  done: (r: RecordedRequest[]) => boolean,
) {
  for (let round = 0; round < 150; round++) {
    const requests = await hosts.requests(match);
    if (done(requests)) return requests;
    await runDurableObjectAlarm(stubs.project);
    await runDurableObjectAlarm(appStub(env, stubs.app));
    await new Promise((resolve) => setTimeout(resolve, 40));
  }
  throw new Error(`feedback for ${match} never arrived: ${JSON.stringify(await hosts.requests(match))}`);
}

const statusesOf = (requests: RecordedRequest[]) =>
  requests.map((r) => JSON.parse(r.body) as { state: string; name: string; description: string });

describe("feedback from a config push", () => {
  it(
    "a push that deploys: pending → success on the commit; a bad config: failure and a notification with file:line",
    { timeout: 30_000 },
    async () => {
      const app = `fb-sync-${uniqueSuffix()}`;
      const config = await newRepo("fbconfig");
      const first = await config.commit({ "project.yaml": rootProject(), [`apps/${app}/app.yaml`]: imageApp(app) });
      // The config repo through the recording host, which passes git on to the git server: the
      // repo's host is then one with a status API and a token, as on GitLab.
      const viaHost = { ...config, url: `${inject("hostsUrl")}/git/${config.name}.git` };
      const stub = await project(viaHost);
      await stub.tick(new Date().toISOString());
      await deploysSettled([app]);
      const path = `/gitlab/projects/git%2F${config.name}/statuses/${first}`;
      const statuses = await until({ project: stub, app }, path, (r) => r.length >= 3);
      expect(statusesOf(statuses).map((s) => [s.name, s.state])).toEqual(
        expect.arrayContaining([
          ["tower/config", "success"],
          [`tower/${app}`, "running"],
          [`tower/${app}`, "success"],
        ]),
      );
      const appStates = statusesOf(statuses)
        .filter((s) => s.name === `tower/${app}`)
        .map((s) => s.state);
      expect(appStates).toEqual(["running", "success"]);

      const bad = imageApp(app).replace("primary_region: arn", "primary_region: arn\nmachines: {count: many}");
      const second = await config.commit({ [`apps/${app}/app.yaml`]: bad });
      await pushAndSettle(stub, viaHost, first, second);
      const failed = await until(
        { project: stub, app },
        `/gitlab/projects/git%2F${config.name}/statuses/${second}`,
        (r) => r.length >= 1,
      );
      expect(statusesOf(failed)).toEqual([
        expect.objectContaining({
          name: "tower/config",
          state: "failed",
          description: expect.stringMatching(new RegExp(`^apps/${app}/app.yaml:\\d+:\\d+: `)),
        }),
      ]);
      const hooks = await until({ project: stub, app }, "/hooks/generic", (r) =>
        r.some((x) => x.body.includes(second)),
      );
      const invalid = hooks
        .map((r) => JSON.parse(r.body))
        .find((b) => b.event === "config.invalid" && b.commit?.sha === second);
      expect(invalid.problems[0]).toMatchObject({
        file: `apps/${app}/app.yaml`,
        line: expect.any(Number),
        col: expect.any(Number),
      });
      expect(invalid.summary).toMatch(
        new RegExp(`^config ${second.slice(0, 7)} is invalid: apps/${app}/app.yaml:\\d+:\\d+: `),
      );

      // No token in anything recorded or logged.
      const logs = JSON.stringify([await eventsAfter(stub, 0), await appStub(env, app).events(0, 1000)]);
      for (const token of TOKENS) {
        for (const request of [...statuses, ...failed, ...hooks]) expect(request.body).not.toContain(token);
        expect(logs).not.toContain(token);
      }
    },
  );
});
