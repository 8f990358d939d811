/**
 * Deploy feedback end to end in workerd: the AppDO deploys to the Fly simulator and reports to the
 * recording git-host API and chat webhooks (test/support/feedback-hosts) through its outbox.
 */
import { env, runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { ResolvedApp } from "../../../../src/config/resolved-app";
import { flySimControl } from "../../../fly-sim/control";
import { feedbackHosts } from "../../../support/feedback-hosts/control";
import type { RecordedRequest } from "../../../support/feedback-hosts/server";
import { appStub } from "../../do-stubs";
import { eventsOf, notice, resolvedApp, settle } from "./fixtures";

const sim = flySimControl(env.FLY_API_BASE);
const hosts = feedbackHosts(env.FEEDBACK_TEST_URL);
const HOST = new URL(env.FEEDBACK_TEST_URL).host;
const TOKENS = Object.values(JSON.parse(env.GIT_CREDENTIALS ?? "{}") as Record<string, string>);
const unique = (prefix: string) => `${prefix}-${crypto.randomUUID().slice(0, 8)}`;
const sha = () => [...crypto.getRandomValues(new Uint8Array(20))].map((b) => b.toString(16).padStart(2, "0")).join("");

/** An app reported to a GitHub-speaking host at the recording server, with both notify targets. */
function reported(name: string, type: "github" | "gitea" | "gitlab" = "github", extra: Partial<ResolvedApp> = {}) {
  return resolvedApp(name, {
    feedback: {
      gitHosts: { [HOST]: { type, api: `${env.FEEDBACK_TEST_URL}/${type}` } },
      notify: [
        {
          type: "webhook",
          url_env: "NOTIFY_HOOK",
          secret_env: "NOTIFY_HOOK_KEY",
          events: ["deploy.succeeded", "deploy.failed"],
        },
        { type: "slack", url_env: "NOTIFY_CHAT", events: ["deploy.failed"] },
      ],
    },
    ...extra,
  });
}

type Stub = ReturnType<typeof appStub>;

/** Runs alarms until `done` holds for the recorded requests (deliveries may wait for retries). */
async function until(stub: Stub, match: string, done: (requests: RecordedRequest[]) => boolean) {
  for (let round = 0; round < 150; round++) {
    const requests = await hosts.requests(match);
    if (done(requests)) return requests;
    await runDurableObjectAlarm(stub);
    await new Promise((resolve) => setTimeout(resolve, 40));
  }
  throw new Error(`feedback for ${match} never arrived: ${JSON.stringify(await hosts.requests(match))}`);
}

const bodies = (requests: RecordedRequest[]) => requests.map((r) => JSON.parse(r.body) as Record<string, unknown>);
const posted = (requests: RecordedRequest[]) => requests.filter((r) => r.method === "POST" && r.status < 300);

async function hookFor(app: string, path: string): Promise<RecordedRequest[]> {
  return (await hosts.requests(path)).filter((r) => r.body.includes(`"app":"${app}"`) || r.body.includes(`${app}:`));
}

describe("AppDO feedback (recording hosts + Fly simulator)", () => {
  it("a deploy posts exactly pending → success and a Deployment in_progress → success; the hook is signed", async () => {
    const name = unique("fb-ok");
    const owner = unique("acme");
    const commit = sha();
    const stub = appStub(env, name);
    await stub.desire({
      ...notice(reported(name), "k1", commit),
      origin: { url: `http://${HOST}/${owner}/site`, sha: commit },
    });
    const summary = await settle(stub);
    expect(summary?.status).toBe("synced");
    const deployId = summary!.lastDeploy!.id;

    const statuses = await until(stub, `/${owner}/site/statuses/`, (r) => posted(r).length >= 2);
    expect(bodies(statuses)).toEqual([
      {
        state: "pending",
        context: `tower/${name}`,
        description: `Deploying release 1 of ${name} to Fly`,
        target_url: `https://tower.test/api/apps/${name}/deploys/${deployId}`,
      },
      {
        state: "success",
        context: `tower/${name}`,
        description: `Release 1 of ${name} is live`,
        target_url: `https://tower.test/api/apps/${name}/deploys/${deployId}`,
      },
    ]);
    expect(statuses[0]!.path).toBe(`/github/repos/${owner}/site/statuses/${commit}`);
    expect(statuses[0]!.headers.authorization).toBe(`Bearer ${TOKENS[0]}`);

    const deployments = await until(
      stub,
      `/${owner}/site/deployments`,
      (r) => r.filter((x) => x.path.endsWith("/statuses")).length >= 2,
    );
    const created = deployments.filter((r) => r.path.endsWith("/deployments"));
    expect(created).toHaveLength(1);
    expect(JSON.parse(created[0]!.body)).toMatchObject({
      ref: commit,
      environment: name,
      auto_merge: false,
      required_contexts: [],
    });
    expect(
      bodies(deployments.filter((r) => r.path.endsWith("/statuses"))).map((b) => [b.state, b.environment_url]),
    ).toEqual([
      ["in_progress", undefined],
      ["success", `https://${name}.fly.dev`],
    ]);

    const hook = await until(stub, "/hooks/generic", () => true).then(() => hookFor(name, "/hooks/generic"));
    expect(hook).toHaveLength(1);
    expect(JSON.parse(hook[0]!.body)).toMatchObject({
      schema: "tower.notification/v1",
      event: "deploy.succeeded",
      app: name,
      commit: { sha: commit },
    });
    expect(hook[0]!.headers["x-tower-signature-256"]).toBe(`sha256=${await hmac("hook-signing-key", hook[0]!.body)}`);
    expect(await hookFor(name, "/hooks/chat")).toEqual([]);
    noTokenIn([...statuses, ...deployments, ...hook]);
  });

  it("the next deploy marks the Deployment it replaced inactive", async () => {
    const name = unique("fb-next");
    const owner = unique("acme");
    const [c1, c2] = [sha(), sha()];
    const stub = appStub(env, name);
    const origin = (commit: string) => ({ url: `http://${HOST}/${owner}/site`, sha: commit });
    await stub.desire({ ...notice(reported(name), "k1", c1), origin: origin(c1) });
    await settle(stub);
    await stub.desire({ ...notice(reported(name, "github", { configHash: "h2" }), "k2", c2), origin: origin(c2) });
    await settle(stub);
    const statuses = await until(stub, `/${owner}/site/deployments/`, (r) => r.length >= 5);
    const byDeployment = statuses.map((r) => [r.path.split("/").at(-2), JSON.parse(r.body).state]);
    const [first, second] = [byDeployment[0]![0], byDeployment[2]![0]];
    expect(second).not.toBe(first);
    expect(byDeployment).toEqual([
      [first, "in_progress"],
      [first, "success"],
      [second, "in_progress"],
      [second, "success"],
      [first, "inactive"],
    ]);
  });

  it("a failed deploy posts failure with the step and reason; chat gets a line; Gitea speaks its own API", async () => {
    const name = unique("fb-fail");
    const owner = unique("acme");
    const commit = sha();
    const stub = appStub(env, name);
    await sim.addExitRule({ app: name, command: "migrate-now", exitCode: 3, runMs: 20 });
    const app = reported(name, "gitea", {
      config: { app: name, deploy: { release_command: "migrate-now" }, http_service: { internal_port: 8080 } },
    });
    await stub.desire({ ...notice(app, "k1", commit), origin: { url: `http://${HOST}/${owner}/site`, sha: commit } });
    expect((await settle(stub))?.status).toBe("failed");
    const statuses = await until(stub, `/gitea/repos/${owner}/site/statuses/`, (r) => posted(r).length >= 2);
    const [pending, failure] = bodies(statuses);
    expect(pending).toMatchObject({ state: "pending" });
    expect(failure).toMatchObject({ state: "failure", context: `tower/${name}` });
    expect(String(failure!.description)).toMatch(/^Release 1 failed at release-command: .*exit/);
    // Wait for this app's line: another test's chat line may already be there.
    const chat = await until(stub, "/hooks/chat", (r) => r.some((x) => x.body.includes(`${name}:`))).then(() =>
      hookFor(name, "/hooks/chat"),
    );
    expect(chat).toHaveLength(1);
    expect(JSON.parse(chat[0]!.body).text).toMatch(new RegExp(`^${name}: release 1 failed at release-command`));
  });

  it("500 and 429 from the host are retried and each status is finally posted once", async () => {
    const name = unique("fb-retry");
    const owner = unique("acme");
    const commit = sha();
    await hosts.fault({ match: `/${owner}%2Fsite/statuses/`, status: 500, times: 1 });
    await hosts.fault({ match: `/${owner}%2Fsite/statuses/`, status: 429, headers: { "retry-after": "1" }, times: 1 });
    const stub = appStub(env, name);
    await stub.desire({
      ...notice(reported(name, "gitlab"), "k1", commit),
      origin: { url: `http://${HOST}/${owner}/site`, sha: commit },
    });
    await settle(stub);
    const statuses = await until(stub, `/gitlab/projects/${owner}%2Fsite/statuses/`, (r) => posted(r).length >= 2);
    expect(statuses.map((r) => r.status)).toEqual([500, 429, 201, 201]);
    expect(bodies(posted(statuses)).map((b) => b.state)).toEqual(["running", "success"]);
    // The retry after the 429 waited for its Retry-After (1 s), not the 200 ms backoff.
    expect(statuses[2]!.at - statuses[1]!.at).toBeGreaterThanOrEqual(950);
    const events = (await eventsOf(stub)).map((e) => e.type);
    expect(events).not.toContain("feedback.undelivered");
  });

  it("a Deployment whose answer was lost is found on retry, not created twice", async () => {
    const name = unique("fb-lost");
    const owner = unique("acme");
    const commit = sha();
    await hosts.fault({ match: `/${owner}/site/deployments`, status: 502, times: 1, afterApply: true });
    const stub = appStub(env, name);
    await stub.desire({
      ...notice(reported(name), "k1", commit),
      origin: { url: `http://${HOST}/${owner}/site`, sha: commit },
    });
    await settle(stub);
    const calls = await until(
      stub,
      `/${owner}/site/deployments`,
      (r) => r.filter((x) => x.path.endsWith("/statuses")).length >= 2,
    );
    expect(calls.map((r) => `${r.method} ${r.path.replace(/\?.*/, "?")} ${r.status}`)).toEqual([
      `POST /github/repos/${owner}/site/deployments 502`,
      `GET /github/repos/${owner}/site/deployments? 200`,
      `POST /github/repos/${owner}/site/deployments/${calls[2]!.path.split("/").at(-2)}/statuses 201`,
      `POST /github/repos/${owner}/site/deployments/${calls[2]!.path.split("/").at(-2)}/statuses 201`,
    ]);
  });

  it("a host that refuses is recorded once in the event log with its reason; the deploy is unaffected", async () => {
    const name = unique("fb-refuse");
    const owner = unique("acme");
    const commit = sha();
    const body = JSON.stringify({ message: "Resource not accessible by personal access token" });
    const scopes = { "x-oauth-scopes": "read:org", "x-accepted-oauth-scopes": "repo:status" };
    await hosts.fault({ match: `/${owner}/site/`, status: 403, headers: scopes, body, times: 100 });
    const stub = appStub(env, name);
    await stub.desire({
      ...notice(reported(name), "k1", commit),
      origin: { url: `http://${HOST}/${owner}/site`, sha: commit },
    });
    expect((await settle(stub))?.status).toBe("synced");
    await until(stub, `/${owner}/site/`, (r) => r.length >= 3);
    await runDurableObjectAlarm(stub);
    const refused = (await eventsOf(stub)).filter((e) => e.type === "feedback.undelivered");
    expect(refused).toHaveLength(1);
    expect(refused[0]!.data).toMatchObject({ lane: `${HOST}/${owner}/site` });
    expect(String(refused[0]!.data.reason)).toContain('needs one of "repo:status"');
    expect(JSON.stringify(await eventsOf(stub))).not.toContain(TOKENS[0]!);
  });
});

function noTokenIn(requests: RecordedRequest[]) {
  for (const request of requests) for (const token of TOKENS) expect(request.body).not.toContain(token);
}

async function hmac(key: string, body: string): Promise<string> {
  const k = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(key),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", k, new TextEncoder().encode(body)));
  return [...mac].map((b) => b.toString(16).padStart(2, "0")).join("");
}
