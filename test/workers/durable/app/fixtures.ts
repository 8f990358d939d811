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
    hash: "hash-1",
    ...overrides,
  };
}

export function notice(app: ResolvedApp, key: string, sourceCommit: string | null = null): DesiredNotice {
  return { app, sourceCommit, cause: `test ${key}`, key };
}

type AppStub = DurableObjectStub<import("../../../../src/durable/app-do").AppDO>;

/** Runs alarms until the app is neither deploying nor waiting to (or `max` slices pass). */
export async function settle(stub: AppStub, max = 200): Promise<AppSummary | null> {
  for (let slice = 0; slice < max; slice++) {
    const summary = await stub.summary();
    if (summary && summary.status !== "deploying" && summary.status !== "pending") return summary;
    if (!(await runDurableObjectAlarm(stub))) await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`app did not settle within ${max} slices: ${JSON.stringify(await stub.summary())}`);
}

/** The log through RPC. Typed by hand: RPC typing turns `Record<string, unknown>` data into never. */
export async function eventsOf(stub: AppStub, after = 0): Promise<StoredEvent[]> {
  return (await stub.events(after, 1000)) as unknown as StoredEvent[];
}
