/**
 * Feedback on a preview: its deploy is reported on the pull request's head commit, and the live
 * status links the preview app (`https://<preview>.fly.dev`). The app repo is reached through the
 * recording git host (named in the root project's `git_hosts`), which passes git on to the server.
 */
import { env, runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, inject, it } from "vitest";
import { feedbackHosts } from "../../support/feedback-hosts/control";
import type { RecordedRequest } from "../../support/feedback-hosts/server";
import { appStub } from "../do-stubs";
import { deployedProject, deploysSettled, gitApp, newRepo, uniqueSuffix } from "./given";
import { deliverPull, mergeRequest, PREVIEWS } from "./pull-requests";

const hosts = feedbackHosts(inject("hostsUrl"));

async function statuses(stubs: DurableObjectStub[], path: string, done: (r: RecordedRequest[]) => boolean) {
  for (let round = 0; round < 150; round++) {
    const requests = await hosts.requests(path);
    if (done(requests)) return requests.map((r) => JSON.parse(r.body) as Record<string, string>);
    for (const stub of stubs) await runDurableObjectAlarm(stub);
    await new Promise((resolve) => setTimeout(resolve, 40));
  }
  throw new Error(`no status at ${path}: ${JSON.stringify(await hosts.requests(path))}`);
}

describe("feedback on preview deploys", () => {
  it("the pull request's head gets tower/<preview> running → success, linking https://<preview>.fly.dev", async () => {
    const name = `pfb-${uniqueSuffix()}`;
    const preview = `${name}-pr-7`;
    const gitHost = new URL(inject("hostsUrl")).host;
    const api = await newRepo("pfbapi");
    const c1 = await api.commit({ Dockerfile: "FROM nginx\n" });
    const viaHost = { ...api, url: `${inject("hostsUrl")}/git/${api.name}.git` };
    const config = await newRepo("pfbconfig");
    await config.commit({
      "project.yaml": `project: root\ngit_hosts:\n  "${gitHost}": {type: gitlab, api: "${inject("hostsUrl")}/gitlab"}\n`,
      "web/app.yaml": `${gitApp(name, viaHost)}http_service:\n  internal_port: 8080\n${PREVIEWS}`,
    });
    const stub = await deployedProject(config, [name]);

    const c2 = await api.commit({ Dockerfile: "FROM nginx:2\n" }, { branch: "feature", parent: c1 });
    await api.setRef("refs/merge-requests/7/head", c2);
    await deliverPull(stub, await mergeRequest(viaHost, "open", 7));
    await deploysSettled([preview]);
    const path = `/gitlab/projects/git%2F${api.name}/statuses/${c2}`;
    const sent = await statuses([stub, appStub(env, preview)], path, (r) =>
      r.some((x) => x.body.includes('"success"') && x.body.includes(`tower/${preview}`)),
    );
    const mine = sent.filter((s) => s.name === `tower/${preview}`);
    expect(mine.map((s) => s.state)).toEqual(["running", "success"]);
    expect(mine[1]).toMatchObject({
      target_url: `https://${preview}.fly.dev`,
      description: `Preview of #7 is live at https://${preview}.fly.dev`,
    });
    // The running status links the deploy in Tower, as any app's does.
    expect(mine[0]?.target_url).toMatch(new RegExp(`/api/apps/${preview}/deploys/`));
  }, 30_000);
});
