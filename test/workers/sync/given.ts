/** A config repo, app repos and a ProjectDO pointed at them, for end-to-end sync tests in workerd. */
import { env, runDurableObjectAlarm } from "cloudflare:test";
import { inject } from "vitest";
import type { PushReceived, StoredEvent } from "../../../src/durable/contract";
import { normaliseRepoUrl } from "../../../src/git";
import { createRepo, type FixtureRepo } from "../../support/fixture-repo";
import { appStub } from "../do-stubs";

let run = 0;

/** A unique suffix so app names (one AppDO each) never collide between tests. */
export function uniqueSuffix(): string {
  return `${Date.now().toString(36)}${(run++).toString(36)}`;
}

export function imageApp(name: string, extra = ""): string {
  return `app: ${name}\norg: personal\nprimary_region: arn\nsource:\n  type: image\n  image: nginx:1.${extra || "27"}\n`;
}

export function gitApp(name: string, repo: FixtureRepo, branch = "main"): string {
  return `app: ${name}\norg: personal\nprimary_region: arn\nsource:\n  type: git\n  repo: ${repo.url}\n  ref:\n    branch: ${branch}\n`;
}

export async function project(config: FixtureRepo) {
  const stub = env.PROJECT.get(env.PROJECT.idFromName(`test:${config.name}`));
  await stub.configure({ repo: config.url, ref: "main", path: "." });
  return stub;
}

export type ProjectStub = Awaited<ReturnType<typeof project>>;

/**
 * Runs the alarm now (if it has not fired by itself) and waits for every sync pass to end; again
 * while a push is still in the inbox, a delivery awaits its retry or an alarm is due, since an alarm that fired on its own may
 * not have joined the pass chain yet when we looked.
 */
export async function settle(stub: ProjectStub): Promise<void> {
  for (let round = 0; round < 50; round++) {
    await runDurableObjectAlarm(stub);
    const { inbox, deliveryRetry, alarmAt } = await stub.backlog();
    // A failed delivery to an AppDO waits for its retry alarm (1 s at first): run it now.
    const owed = inbox > 0 || deliveryRetry !== null || (alarmAt !== null && alarmAt <= Date.now() + 50);
    if (!owed) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error("the ProjectDO still owes a sync pass after 50 rounds");
}

export async function eventsAfter(stub: ProjectStub, after: number): Promise<StoredEvent[]> {
  // `data: Record<string, unknown>` does not survive the RPC type mapping; the values do.
  return (await stub.events(after, 1000)) as unknown as StoredEvent[];
}

export const lastSeq = async (stub: ProjectStub) => (await eventsAfter(stub, 0)).at(-1)?.seq ?? 0;

export function told(events: StoredEvent[]): string[] {
  return events
    .filter((e) => e.type === "app.desired")
    .map((e) => String(e.data.app))
    .sort();
}

export function pushOf(
  repo: FixtureRepo,
  ref: string,
  before: string,
  after: string,
  deliveryId = crypto.randomUUID(),
): PushReceived {
  const deleted = /^0+$/.test(after);
  return {
    provider: "github",
    deliveryId,
    repo: normaliseRepoUrl(repo.url),
    ref,
    before,
    after,
    deleted,
    receivedAt: new Date().toISOString(),
  };
}

export async function newRepo(name: string) {
  return createRepo(inject("gitUrl"), name);
}

/** A ProjectDO pointed at `config` and ticked once, after every app in `apps` has finished deploying. */
export async function deployedProject(config: FixtureRepo, apps: string[]): Promise<ProjectStub> {
  const stub = await project(config);
  await stub.tick(new Date().toISOString());
  await deploysSettled(apps);
  return stub;
}

/**
 * App `name` built from a repo of its own (`api`, one commit `c1` with a Dockerfile), alone in a new
 * config repo with `extra` appended to its app.yaml (`previews:` say), deployed at `c1`.
 */
export async function gitAppDeployed(name: string, extra = "") {
  const api = await newRepo("api");
  const c1 = await api.commit({ Dockerfile: "FROM nginx\n" });
  const config = await newRepo("config");
  await config.commit({ "project.yaml": "project: root\n", "web/app.yaml": `${gitApp(name, api)}${extra}` });
  const stub = await deployedProject(config, [name]);
  return { api, c1, config, stub };
}

/** Records a push of `ref` (main by default) from `before` to `after` and waits for the sync passes it starts. */
export async function pushAndSettle(
  stub: ProjectStub,
  repo: FixtureRepo,
  before: string,
  after: string,
  ref = "refs/heads/main",
): Promise<PushReceived> {
  const push = pushOf(repo, ref, before, after);
  await stub.recordPush(push);
  await settle(stub);
  return push;
}

/** Polls `check` every 100 ms until it holds; fails after `ms`. */
export async function waitFor(check: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Waits until every app has finished deploying (synced or failed), or fails after `ms`. */
export async function deploysSettled(names: string[], ms = 30_000): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    const summaries = await Promise.all(names.map((name) => appStub(env, name).summary()));
    const busy = summaries.filter(
      (s) => !s || s.status === "deploying" || s.status === "pending" || s.status === "degraded",
    );
    if (busy.length === 0) return;
    if (Date.now() > until) throw new Error(`still deploying after ${ms} ms: ${JSON.stringify(busy)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function deployCount(name: string): Promise<number> {
  return (await appStub(env, name).deploys({ limit: 100 })).items.length;
}
