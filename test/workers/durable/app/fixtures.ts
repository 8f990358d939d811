/** Resolved apps and helpers for AppDO tests in workerd. */
import { runDurableObjectAlarm } from "cloudflare:test";
import type { ResolvedApp } from "../../../../src/config/resolved-app";
import type { AppSummary, DesiredNotice, StoredEvent } from "../../../../src/durable/contract";

export function resolvedApp(name: string, overrides: Partial<ResolvedApp> = {}): ResolvedApp {
  return {
    name,
    org: "personal",
    primaryRegion: "ams",
    regions: ["ams"],
    file: `apps/${name}/app.yaml`,
    projects: ["."],
    source: { type: "image", image: "registry.example/hello:1" },
    config: { app: name, primary_region: "ams", http_service: { internal_port: 8080 } },
    secrets: [],
    secretsDigest: "digest-0",
    configHash: "hash-1",
    ...overrides,
  };
}

export function notice(app: ResolvedApp, key: string, sourceCommit: string | null = null): DesiredNotice {
  return { app, sourceCommit, cause: `test ${key}`, key };
}

type AppStub = DurableObjectStub<import("../../../../src/durable/app-do").AppDO>;

/**
 * Runs alarms until the app is neither deploying, restoring nor waiting to, for up to `timeoutMs`. Bounded by
 * time, not by a count of alarms: an alarm run before the time a step asked for (Fly's Retry-After,
 * a backoff, stored as the journal's `notBefore`) does nothing, so a count would run out early.
 */
export async function settle(stub: AppStub, timeoutMs = 60_000): Promise<AppSummary | null> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const summary = await stub.summary();
    if (summary && !["deploying", "pending", "degraded"].includes(summary.status)) return summary;
    await runDurableObjectAlarm(stub);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`app did not settle within ${timeoutMs} ms: ${JSON.stringify(await stub.summary())}`);
}

/** The log through RPC. Typed by hand: RPC typing turns `Record<string, unknown>` data into never. */
export async function eventsOf(stub: AppStub, after = 0): Promise<StoredEvent[]> {
  return (await stub.events(after, 1000)) as unknown as StoredEvent[];
}

/** Every deploy id of the app, newest first, read page by page (`limit` a page) as a client would. */
export async function allDeployIds(stub: AppStub, limit: number): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await stub.deploys({ limit, ...(cursor ? { cursor } : {}) });
    ids.push(...page.items.map((d) => d.id));
    cursor = page.next ?? undefined;
  } while (cursor);
  return ids;
}

/** Waits until the app's log shows a deploy started and still running; fails after `ms`. */
export async function deployRunning(stub: AppStub, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while ((await stub.summary())?.lastDeploy?.outcome !== "running") {
    if (Date.now() > until) throw new Error(`no deploy started within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * The log, checked: the desired state `configHash` was recorded while another deploy ran (after
 * its deploy.started, before its end), and no two deploys ever ran at once.
 */
export function arrivedMidDeployWithoutOverlap(events: StoredEvent[], configHash: string): void {
  const arrived = events.findIndex((e) => e.type === "desired.changed" && e.data.configHash === configHash);
  if (arrived < 0) throw new Error(`no desired.changed for ${configHash}`);
  let running: string | null = null;
  let midDeploy = false;
  for (const [index, event] of events.entries()) {
    if (index === arrived) midDeploy = running !== null;
    if (event.type === "deploy.started") {
      if (running !== null) throw new Error(`${event.data.deployId} started while ${running} ran`);
      running = String(event.data.deployId);
    }
    if ((event.type === "deploy.succeeded" || event.type === "deploy.failed") && event.data.deployId === running)
      running = null;
  }
  if (!midDeploy) throw new Error(`${configHash} arrived while no deploy ran: the test proves nothing`);
}
