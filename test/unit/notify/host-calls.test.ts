import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { hostRepo } from "../../../src/notify/git-host";
import { giteaStatus } from "../../../src/notify/gitea";
import {
  deploymentFor,
  githubCreateDeployment,
  githubDeploymentStatus,
  githubStatus,
} from "../../../src/notify/github";
import { gitlabAlreadySet, gitlabStatus } from "../../../src/notify/gitlab";
import { NOTIFICATION_SCHEMA, type Notification } from "../../../src/notify/notification";
import { slackMessage } from "../../../src/notify/slack";
import { SIGNATURE_HEADER, webhookCall } from "../../../src/notify/webhook";

const SHA = "0123456789abcdef0123456789abcdef01234567";
const status = { state: "pending" as const, context: "tower/web", description: "Deploying", targetUrl: "https://t/x" };

describe("hostRepo", () => {
  it("knows github.com, gitlab.com and codeberg.org; others only through git_hosts", () => {
    expect(hostRepo({ host: "github.com", path: "o/r" })).toEqual({
      type: "github",
      host: "github.com",
      api: "https://api.github.com",
      path: "o/r",
    });
    expect(hostRepo({ host: "gitlab.com", path: "g/s/r" })?.api).toBe("https://gitlab.com/api/v4");
    expect(hostRepo({ host: "git.example.com", path: "o/r" })).toBeNull();
    const hosts = { "git.example.com": { type: "gitea" as const, api: "https://git.example.com/api/v1/" } };
    expect(hostRepo({ host: "git.example.com", path: "o/r" }, hosts)).toMatchObject({
      type: "gitea",
      api: "https://git.example.com/api/v1",
    });
  });
});

describe("host calls", () => {
  const gh = hostRepo({ host: "github.com", path: "acme/site" })!;

  it("GitHub: a commit status on /repos/{owner}/{repo}/statuses/{sha}", () => {
    const call = githubStatus(gh, SHA, status);
    expect(call).toMatchObject({ method: "POST", url: `https://api.github.com/repos/acme/site/statuses/${SHA}` });
    expect(JSON.parse(call.body!)).toEqual({
      state: "pending",
      context: "tower/web",
      description: "Deploying",
      target_url: "https://t/x",
    });
  });

  it("GitHub: a Deployment of the commit with auto_merge false and no required contexts", () => {
    const call = githubCreateDeployment(gh, { sha: SHA, environment: "web", deployId: "d1", description: "x" });
    expect(call.url).toBe("https://api.github.com/repos/acme/site/deployments");
    expect(JSON.parse(call.body!)).toMatchObject({
      ref: SHA,
      environment: "web",
      auto_merge: false,
      required_contexts: [],
      payload: { tower_deploy_id: "d1" },
    });
    expect(
      deploymentFor(
        [
          { id: 5, payload: { tower_deploy_id: "d0" } },
          { id: 6, payload: { tower_deploy_id: "d1" } },
        ],
        "d1",
      ),
    ).toBe(6);
    const st = githubDeploymentStatus(gh, 6, {
      state: "success",
      description: "ok",
      environmentUrl: "https://web.fly.dev",
    });
    expect(st.url).toBe("https://api.github.com/repos/acme/site/deployments/6/statuses");
    expect(JSON.parse(st.body!)).toEqual({
      state: "success",
      description: "ok",
      auto_inactive: false,
      environment_url: "https://web.fly.dev",
    });
  });

  it("Gitea/Forgejo keep Tower's states; GitLab maps them to job states and encodes the project path", () => {
    const gitea = hostRepo({ host: "codeberg.org", path: "o/r" })!;
    expect(giteaStatus(gitea, SHA, status).url).toBe(`https://codeberg.org/api/v1/repos/o/r/statuses/${SHA}`);
    const lab = hostRepo({ host: "gitlab.com", path: "group/sub/r" })!;
    const call = gitlabStatus(lab, SHA, { ...status, state: "failure" });
    expect(call.url).toBe(`https://gitlab.com/api/v4/projects/group%2Fsub%2Fr/statuses/${SHA}`);
    expect(JSON.parse(call.body!)).toMatchObject({ state: "failed", name: "tower/web" });
    expect(gitlabAlreadySet(400, '{"message":"Cannot transition status via :run from :running"}')).toBe(true);
  });
});

const notification: Notification = {
  schema: NOTIFICATION_SCHEMA,
  id: "d1:deploy.failed",
  event: "deploy.failed",
  at: "2026-03-01T10:00:00.000Z",
  app: "web",
  deploy: { id: "d1", release: 3, cause: "push", url: "https://tower.example/api/apps/web/deploys/d1" },
  commit: { repo: "https://github.com/acme/site", sha: SHA },
  failure: { step: "health", reason: "check <http> failed & gave up" },
  problems: [],
  summary: "web: release 3 failed at health (0123456): check <http> failed & gave up",
};

describe("notifications", () => {
  it("a generic webhook is the Notification as JSON, signed with HMAC-SHA256 of the exact body", async () => {
    const call = await webhookCall(notification, "https://hooks.example/x", "k3y");
    expect(JSON.parse(call.body!)).toEqual(notification);
    const expected = createHmac("sha256", "k3y").update(call.body!).digest("hex");
    expect(call.headers[SIGNATURE_HEADER]).toBe(`sha256=${expected}`);
    expect(call.headers["x-tower-event"]).toBe("deploy.failed");
    const unsigned = await webhookCall(notification, "https://hooks.example/x", undefined);
    expect(unsigned.headers[SIGNATURE_HEADER]).toBeUndefined();
  });

  it("a Slack message is one escaped line of text plus blocks with the failure and a link", () => {
    const message = slackMessage(notification);
    expect(message.text).toBe("web: release 3 failed at health (0123456): check &lt;http&gt; failed &amp; gave up");
    expect(JSON.stringify(message.blocks)).toContain("<https://tower.example/api/apps/web/deploys/d1|details>");
    expect(message.blocks).toHaveLength(3);
  });
});
