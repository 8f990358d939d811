/**
 * Pull request webhooks for workerd tests: real payloads (GitHub's from @octokit/webhooks-examples,
 * GitLab's fixture) moved to a test repo, signed, and read by the Worker's own webhook code.
 */
import examples from "@octokit/webhooks-examples";
import { sign } from "@octokit/webhooks-methods";
import type { PullRequestReceived } from "../../../src/durable/contract";
import { receiveDelivery } from "../../../src/worker/webhook/receive";
import { webhookSecrets } from "../../../src/worker/webhook/webhook-secrets";
import type { FixtureRepo } from "../../support/fixture-repo";
import gitlabMergeRequest from "../../unit/webhook/fixtures/gitlab-merge-request.json";
import { type ProjectStub, settle } from "./given";

export const SECRET = "preview-test-secret";
/** What an app.yaml adds to have a preview app per pull request. */
export const PREVIEWS = "previews:\n  enabled: true\n";

/** A head commit no repo has: the payload names it, Tower must not deploy it. */
export const FORGED = "f".repeat(40);

/** The parts of GitHub's example payload these tests rewrite. */
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

async function read(request: Request): Promise<PullRequestReceived> {
  const received = await receiveDelivery(
    request,
    { secrets: webhookSecrets({ WEBHOOK_SECRET: SECRET }), maxBytes: 1 << 20 },
    new Date(),
  );
  if (received.kind !== "pull-request") throw new Error(`not a pull request: ${JSON.stringify(received)}`);
  return received.pull;
}

/** GitHub's example of `action`, moved to `repo` as PR `number`; its head sha is a forgery Tower must not use. */
export async function pullRequest(repo: FixtureRepo, action: string, number: number, fork = false) {
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
  return read(new Request("https://tower.test/webhook", { method: "POST", body, headers }));
}

/** GitLab's merge request hook with `action`, for merge request `iid` of `repo` (the target project). */
export async function mergeRequest(repo: FixtureRepo, action: string, iid: number) {
  const payload = structuredClone(gitlabMergeRequest);
  payload.project.git_http_url = repo.url;
  payload.object_attributes.iid = iid;
  payload.object_attributes.action = action;
  payload.object_attributes.last_commit.id = FORGED;
  const body = JSON.stringify(payload);
  const headers = {
    "x-gitlab-event": "Merge Request Hook",
    "x-gitlab-token": SECRET,
    "x-gitlab-event-uuid": crypto.randomUUID(),
  };
  return read(new Request("https://tower.test/webhook", { method: "POST", body, headers }));
}

/** Hands a parsed pull request event to the ProjectDO, as the webhook route does, and waits for its sync passes. */
export async function deliverPull(stub: ProjectStub, pull: PullRequestReceived): Promise<void> {
  await stub.recordPullRequest(pull);
  await settle(stub);
}
