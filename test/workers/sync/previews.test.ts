/**
 * Preview apps end to end: real GitHub pull_request payloads (adapted to the test repos) through
 * webhook parsing, the ProjectDO, the preview's own AppDO, a build on the Fly simulator, destroy.
 */
import { env } from "cloudflare:test";
import examples from "@octokit/webhooks-examples";
import { sign } from "@octokit/webhooks-methods";
import { describe, expect, inject, it } from "vitest";
import type { PullRequestReceived } from "../../../src/durable/contract";
import { receiveDelivery } from "../../../src/worker/webhook/receive";
import { webhookSecrets } from "../../../src/worker/webhook/webhook-secrets";
import { flySimControl } from "../../fly-sim/control";
import type { FixtureRepo } from "../../support/fixture-repo";
import { appStub } from "../do-stubs";
import {
  deployCount,
  deploysSettled,
  eventsAfter,
  gitApp,
  lastSeq,
  newRepo,
  type ProjectStub,
  project,
  settle,
  uniqueSuffix,
} from "./given";

const fly = () => flySimControl(inject("flyUrl"));
const SECRET = "preview-test-secret";
const FORGED = "f".repeat(40);
/** The parts of GitHub's example payload this test rewrites. */
interface Repo {
  full_name: string;
  clone_url?: string;
}
type Example = {
  action: string;
  number: number;
  pull_request: { base: { repo: Repo }; head: { sha: string; repo: Repo | null } };
};
const pullExamples = (examples as unknown as { name: string; examples: Example[] }[]).find(
  (e) => e.name === "pull_request",
)!.examples;

/** GitHub's example of `action`, moved to `repo` as PR `number`; its head sha is a forgery Tower must not use. */
async function pullRequest(repo: FixtureRepo, action: string, number: number, fork = false) {
  const payload = structuredClone(pullExamples.find((e) => e.action === action)!);
  payload.number = number;
  const base = { ...payload.pull_request.base.repo, full_name: `acme/${repo.name}`, clone_url: repo.url };
  payload.pull_request.base.repo = base;
  payload.pull_request.head = {
    ...payload.pull_request.head,
    sha: FORGED,
    repo: { ...base, full_name: fork ? `mallory/${repo.name}` : base.full_name },
  };
  const body = JSON.stringify(payload);
  const headers = {
    "x-github-event": "pull_request",
    "x-github-delivery": crypto.randomUUID(),
    "x-hub-signature-256": await sign(SECRET, body),
  };
  const request = new Request("https://tower.test/webhook", { method: "POST", body, headers });
  const received = await receiveDelivery(
    request,
    { secrets: webhookSecrets({ WEBHOOK_SECRET: SECRET }), maxBytes: 1 << 20 },
    new Date(),
  );
  if (received.kind !== "pull-request") throw new Error(`not a pull request: ${JSON.stringify(received)}`);
  return received.pull;
}

async function deliver(stub: ProjectStub, pull: PullRequestReceived) {
  await stub.recordPullRequest(pull);
  await settle(stub);
}

async function flyApps(name: string): Promise<string[]> {
  return (await fly().state(name)).apps.map((a) => a.name);
}

async function waitFor(check: () => Promise<boolean>, ms = 20_000) {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("preview apps for pull requests", () => {
  it("open deploys the PR head, synchronize redeploys, close destroys the preview and leaves the app alone", async () => {
    const s = uniqueSuffix();
    const name = `web-${s}`;
    const preview = `${name}-pr-7`;
    const api = await newRepo("api");
    const c1 = await api.commit({ Dockerfile: "FROM nginx\n" });
    const config = await newRepo("config");
    const appYaml = `${gitApp(name, api)}previews:\n  enabled: true\n`;
    await config.commit({ "project.yaml": "project: root\n", "web/app.yaml": appYaml });
    const stub = await project(config);
    await stub.tick(new Date().toISOString());
    await deploysSettled([name]);
    const mainDeploys = await deployCount(name);

    const c2 = await api.commit({ Dockerfile: "FROM nginx:2\n" }, { branch: "feature", parent: c1 });
    await api.setRef("refs/pull/7/head", c2);
    await deliver(stub, await pullRequest(api, "opened", 7));
    await deploysSettled([preview]);
    expect(await appStub(env, preview).summary()).toMatchObject({ status: "synced", deployed: { sourceCommit: c2 } });
    const listed = (await stub.listApps()).find((a) => a.name === preview);
    expect(listed?.preview).toEqual({ app: name, number: 7, head: c2 });
    const running = (await fly().state(preview)).machines.filter((m) => m.app === preview && m.state === "started");
    expect(running.length).toBe(1);

    const c3 = await api.commit({ Dockerfile: "FROM nginx:3\n" }, { branch: "feature", parent: c2 });
    await api.setRef("refs/pull/7/head", c3);
    await deliver(stub, await pullRequest(api, "synchronize", 7));
    await deploysSettled([preview]);
    expect(await appStub(env, preview).summary()).toMatchObject({ status: "synced", deployed: { sourceCommit: c3 } });

    const seq = await lastSeq(stub);
    await deliver(stub, await pullRequest(api, "closed", 7));
    const closed = (await eventsAfter(stub, seq)).filter((e) => e.type === "preview.closed");
    expect(closed.map((e) => e.data)).toEqual([expect.objectContaining({ app: preview, of: name, number: 7 })]);
    await waitFor(async () => !(await flyApps(preview)).includes(preview));
    expect(await flyApps(name)).toContain(name);
    expect(await deployCount(name)).toBe(mainDeploys);
    expect(await appStub(env, name).summary()).toMatchObject({ status: "synced", deployed: { sourceCommit: c1 } });
    expect((await stub.listApps()).map((a) => a.name)).toEqual([name]);
  }, 30_000);

  it("a fork's pull request is ignored with an event saying why", async () => {
    const s = uniqueSuffix();
    const name = `fork-${s}`;
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
    await api.setRef("refs/pull/3/head", c1);
    const seq = await lastSeq(stub);
    await deliver(stub, await pullRequest(api, "opened", 3, true));
    const events = await eventsAfter(stub, seq);
    expect(events.map((e) => e.type)).toEqual(["pull.received", "pull.ignored"]);
    expect(String(events[1]?.data.reason)).toContain("fork");
    expect(await flyApps(`${name}-pr-3`)).not.toContain(`${name}-pr-3`);
  }, 30_000);
});
