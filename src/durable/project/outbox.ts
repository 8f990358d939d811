/**
 * Delivers what the log says apps must hear (`app.desired`, `app.removed` with prune, a closed
 * preview) to their AppDOs, then the previews owed (preview-delivery.ts). The log is the outbox: a
 * cursor in the state table marks what was delivered, and the AppDO's `desire` is idempotent on
 * the notice key, so a delivery repeated after a crash is safe. One pass tells at most `budget`
 * apps (one subrequest each); the cursor stops where it stopped and the next alarm goes on.
 */
import type { ResolvedApp } from "../../config/resolved-app";
import type { EventStore } from "../event-store";
import type { ProjectEvent } from "./events";
import { mapLimit, type ProjectPorts } from "./ports";
import { deliverPreviews, PREVIEW_RECHECK_MS } from "./preview-delivery";
import { readResolved, readRow, writePreviewTold, writeRow } from "./project-rows";
import type { LivePreview } from "./state";

const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 5 * 60_000;

/** Backoff after `attempts` failed deliveries in a row: 1 s, 2 s, 4 s, … at most 5 minutes. */
export function retryDelay(attempts: number): number {
  return Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1));
}

type Notice =
  | { kind: "desire"; app: string; sourceCommit: string | null; cause: string; key: string; force: boolean }
  | { kind: "destroy"; app: string; cause: string }
  | { kind: "forget"; app: string };

type LoggedEvent = ProjectEvent & { key: string; seq: number };

/** The app an event tells something, or null (previews' deploys are owed from state instead). */
function toldApp(e: ProjectEvent): string | null {
  const told = e.type === "app.desired" || e.type === "preview.closed" || e.type === "app.removed";
  return told ? e.data.app : null;
}

/** The newest notice per app since `after`; a force anywhere in between is kept. */
export function pendingNotices(events: Iterable<ProjectEvent & { key: string }>): Notice[] {
  const latest = new Map<string, Notice>();
  for (const e of events) {
    if (e.type === "app.desired") {
      const before = latest.get(e.data.app);
      const force = e.data.force || (before?.kind === "desire" && before.force);
      latest.set(e.data.app, { kind: "desire", ...e.data, key: e.key, force });
    } else if (e.type === "preview.closed") {
      latest.set(e.data.app, { kind: "destroy", app: e.data.app, cause: e.data.cause });
    } else if (e.type === "app.removed") {
      const { app, cause } = e.data;
      latest.set(app, e.data.prune ? { kind: "destroy", app, cause } : { kind: "forget", app });
    }
  }
  return [...latest.values()];
}

/** What one delivery pass may do, and the previews it owes. */
export interface OutboxPass {
  parallel: number;
  /** Apps it may tell (subrequests left in this invocation for it). */
  budget: number;
  /** The live previews (state), whose deploys are owed from state rather than the log. */
  previews: LivePreview[];
  now: string;
  config?: ConfigCommit;
}

/**
 * Delivers what is pending. Returns null when all of it arrived; 0 when the budget ran out (go
 * on at once); PREVIEW_RECHECK_MS when previews wait for a slot; otherwise the delay before the
 * retry alarm (the failure count is kept in RETRY_ROW, so the backoff grows across alarms).
 */
export async function deliverOutbox(
  store: EventStore,
  stream: string,
  ports: ProjectPorts,
  pass: OutboxPass,
): Promise<number | null> {
  let waiting: "budget" | "slots" | null;
  try {
    const { told, more } = await deliverPending(store, stream, ports, pass);
    waiting = more ? "budget" : await deliverPreviews(store, ports, pass.previews, pass.budget - told, pass.now);
  } catch {
    const attempts = (readRow(store, "outbox-retry")?.attempts ?? 0) + 1;
    writeRow(store, "outbox-retry", { attempts });
    return retryDelay(attempts);
  }
  if (readRow(store, "outbox-retry") !== null) writeRow(store, "outbox-retry", null);
  return waiting === "budget" ? 0 : waiting === "slots" ? PREVIEW_RECHECK_MS : null;
}

/** The config repo and the commit last evaluated: where non-git sources' deploys are reported. */
export interface ConfigCommit {
  url: string;
  commit: string | null;
}

/**
 * Delivers the log's notices from the cursor on, for at most `budget` apps: the cursor moves to
 * the last event of the apps told (all of them, or up to the first app that did not fit).
 */
async function deliverPending(
  store: EventStore,
  stream: string,
  ports: ProjectPorts,
  pass: OutboxPass,
): Promise<{ told: number; more: boolean }> {
  const cursor = readRow(store, "outbox") ?? 0;
  const last = store.version(stream);
  if (last <= cursor) return { told: 0, more: false };
  const events = [...readAfter(store, stream, cursor)] as unknown as LoggedEvent[];
  const apps = new Set<string>();
  let cut = events.length;
  for (const [i, e] of events.entries()) {
    const app = toldApp(e);
    if (app === null || apps.has(app)) continue;
    if (apps.size >= pass.budget) {
      cut = i;
      break;
    }
    apps.add(app);
  }
  const notices = pendingNotices(events.slice(0, cut));
  const failures: unknown[] = [];
  await mapLimit(notices, pass.parallel, async (notice) => {
    try {
      await deliver(store, ports, notice, pass.config ?? { url: "", commit: null });
    } catch (error) {
      failures.push(error);
    }
  });
  // Only a clean pass moves the cursor; a failed one is retried whole (delivery is idempotent).
  if (failures.length > 0) throw failures[0];
  writeRow(store, "outbox", cut === events.length ? last : (events[cut - 1]?.seq ?? cursor));
  return { told: notices.length, more: cut < events.length };
}

async function deliver(store: EventStore, ports: ProjectPorts, notice: Notice, config: ConfigCommit) {
  if (notice.kind === "forget") return;
  if (notice.kind === "destroy") {
    await ports.destroy(notice.app, notice.cause);
    // A preview destroyed owes nothing and holds no slot; reopened, it is told afresh.
    writePreviewTold(store, notice.app, null);
    return;
  }
  const app = readResolved(store, notice.app);
  if (!app) return;
  const { sourceCommit, cause, key, force } = notice;
  const origin = originOf(app, sourceCommit, config);
  await ports.desire({ app, sourceCommit, cause, key, origin, ...(force ? { force } : {}) });
}

function* readAfter(store: EventStore, stream: string, after: number) {
  for (let page = store.read(stream, after, 500); page.length > 0; page = store.read(stream, after, 500)) {
    yield* page;
    after = page[page.length - 1]!.seq;
  }
}

/**
 * The commit a deploy is reported on: the app repo's for git sources (the code that runs), else
 * the config commit that was evaluated (the change that made the deploy).
 */
export function originOf(
  app: Pick<ResolvedApp, "source">,
  sourceCommit: string | null,
  config: ConfigCommit,
): { url: string; sha: string } | null {
  if (app.source.type === "git") return sourceCommit ? { url: app.source.url, sha: sourceCommit } : null;
  return config.commit && config.url ? { url: config.url, sha: config.commit } : null;
}
