/**
 * Sends one Delivery: builds the host's call, adds the token, reads the answer. The only part of
 * src/notify that does I/O, through the ports it is given. A token or a URL read from a secret
 * never enters a reason: reasons name the secret, not its value.
 */
import { type Answer, judgeAnswer, unreachable } from "./answer";
import type { Delivery } from "./delivery";
import { repoLabel } from "./git-host";
import { giteaStatus } from "./gitea";
import {
  deploymentFor,
  githubCreateDeployment,
  githubDeploymentStatus,
  githubFindDeployments,
  githubStatus,
} from "./github";
import { gitlabAlreadySet, gitlabStatus } from "./gitlab";
import type { HttpCall } from "./http-call";
import type { SendOutcome } from "./outcome";
import { slackCall } from "./slack";
import { webhookCall } from "./webhook";

export interface SendPorts {
  fetch: (request: Request) => Promise<Response>;
  /** The `Authorization` value for a git host's API, from the per-host git credentials. */
  authorization(host: string): string | undefined;
  /** A Worker secret or var by name. */
  secret(name: string): string | undefined;
  /** What an earlier delivery returned, by its outbox key (a GitHub Deployment's id). */
  recall(key: string): number | null;
  now(): number;
}

/**
 * Tower's own settings are never a notification URL or key: a config file (perhaps a nested
 * project from another team's repo) must not be able to send them anywhere.
 */
const RESERVED = new Set([
  "FLY_API_TOKEN",
  "WEBHOOK_SECRET",
  "WEBHOOK_SECRET_PREVIOUS",
  "API_TOKEN",
  "ADMIN_TOKEN",
  "GIT_CREDENTIALS",
  "CI_TOKEN",
]);

/** `attempt` counts earlier tries of this delivery (0 on the first). */
export async function send(delivery: Delivery, ports: SendPorts, attempt: number): Promise<SendOutcome> {
  switch (delivery.kind) {
    case "commit-status": {
      const { to, sha, ...status } = delivery;
      const call = to.type === "github" ? githubStatus : to.type === "gitea" ? giteaStatus : gitlabStatus;
      return gitCall(ports, to.host, call(to, sha, status), `${to.type} status on ${repoLabel(to)}@${sha.slice(0, 7)}`);
    }
    case "deployment":
      return createDeployment(delivery, ports, attempt);
    case "deployment-status": {
      const id = ports.recall(delivery.deployment);
      if (id === null) return { kind: "skipped", reason: "its GitHub Deployment was never created" };
      const { to, ...status } = delivery;
      const what = `GitHub deployment status ${status.state} on ${repoLabel(to)}`;
      return gitCall(ports, to.host, githubDeploymentStatus(to, id, status), what);
    }
    case "webhook":
    case "slack": {
      const url = secretUrl(ports, delivery.urlEnv);
      if (typeof url !== "string") return url;
      const what = `${delivery.kind} ${delivery.urlEnv}`;
      if (delivery.kind === "slack") return exchange(ports, slackCall(delivery.notification, url), what, url);
      const key = delivery.secretEnv === undefined ? undefined : secretValue(ports, delivery.secretEnv);
      if (key === null) return { kind: "refused", status: 0, reason: `${what}: ${delivery.secretEnv} is not set` };
      return exchange(ports, await webhookCall(delivery.notification, url, key), what, url);
    }
    default: {
      const unhandled: never = delivery;
      throw new Error(`unhandled delivery ${(unhandled as Delivery).kind}`);
    }
  }
}

async function createDeployment(
  delivery: Extract<Delivery, { kind: "deployment" }>,
  ports: SendPorts,
  attempt: number,
): Promise<SendOutcome> {
  const { to, sha, environment, deployId } = delivery;
  const what = `GitHub deployment on ${repoLabel(to)}@${sha.slice(0, 7)}`;
  // Look before creating again: an earlier try may have made it and lost the answer.
  if (attempt > 0) {
    const found = await gitCall(ports, to.host, githubFindDeployments(to, sha, environment), what, true, deployId);
    if (found.kind !== "sent") return found;
    if (found.result !== undefined) return found;
  }
  return gitCall(ports, to.host, githubCreateDeployment(to, delivery), what, true, deployId);
}

/** A call to a git host's API with its token. `wantId`: the answer's Deployment id is the result. */
async function gitCall(
  ports: SendPorts,
  host: string,
  call: HttpCall,
  what: string,
  wantId = false,
  deployId?: string,
): Promise<SendOutcome> {
  const authorization = ports.authorization(host);
  // Statuses need a token even on public repos; no token means the operator chose not to report.
  if (authorization === undefined) return { kind: "skipped", reason: `no token for ${host} in GIT_CREDENTIALS` };
  const answer = await exchangeRaw(ports, { ...call, headers: { ...call.headers, authorization } });
  if ("error" in answer) return unreachable(what, answer.error);
  if (call.url.includes("/statuses/") && gitlabAlreadySet(answer.status, answer.body)) return { kind: "sent" };
  const outcome = judgeAnswer(answer, what, ports.now());
  if (outcome.kind !== "sent" || !wantId) return outcome;
  const id = call.method === "GET" ? deploymentFor(parse(answer.body), deployId ?? "") : idOf(parse(answer.body));
  return id === null ? { kind: "sent" } : { kind: "sent", result: id };
}

async function exchange(ports: SendPorts, call: HttpCall, what: string, url: string): Promise<SendOutcome> {
  const answer = await exchangeRaw(ports, call);
  // The URL is a secret (a Slack hook URL is its own credential): no reason may quote it.
  if ("error" in answer) return hideUrl(unreachable(what, answer.error), url);
  return hideUrl(judgeAnswer(answer, what, ports.now()), url);
}

async function exchangeRaw(ports: SendPorts, call: HttpCall): Promise<Answer | { error: unknown }> {
  try {
    const response = await ports.fetch(
      new Request(call.url, { method: call.method, headers: call.headers, body: call.body }),
    );
    return { status: response.status, headers: response.headers, body: await response.text() };
  } catch (error) {
    return { error };
  }
}

function secretUrl(ports: SendPorts, name: string): string | SendOutcome {
  if (RESERVED.has(name))
    return { kind: "refused", status: 0, reason: `${name} is one of Tower's own secrets, never a notification URL` };
  const value = secretValue(ports, name);
  if (value === null) return { kind: "refused", status: 0, reason: `${name} is not set in the Worker env` };
  if (!/^https?:\/\/\S+$/.test(value.trim()))
    return { kind: "refused", status: 0, reason: `${name} does not hold an http(s) URL` };
  return value.trim();
}

function secretValue(ports: SendPorts, name: string): string | null {
  if (RESERVED.has(name)) return null;
  const value = ports.secret(name);
  return typeof value === "string" && value !== "" ? value : null;
}

function hideUrl(outcome: SendOutcome, url: string): SendOutcome {
  if (outcome.kind === "sent") return outcome;
  return { ...outcome, reason: outcome.reason.split(url).join("<url>") };
}

function parse(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return null;
  }
}

function idOf(value: unknown): number | null {
  const id = (value as { id?: unknown } | null)?.id;
  return typeof id === "number" ? id : null;
}
