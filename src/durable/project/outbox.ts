/**
 * Delivers what the log says apps must hear (`app.desired`, `app.removed` with prune) to their
 * AppDOs. The log is the outbox: a cursor in the state table marks what was delivered, and the
 * AppDO's `desire` is idempotent on the notice key, so a delivery repeated after a crash is safe.
 */
import { previewApp } from "../../config/preview-app";
import type { ResolvedApp } from "../../config/resolved-app";
import type { EventStore } from "../event-store";
import type { ProjectEvent } from "./events";
import { mapLimit, type ProjectPorts } from "./ports";
import { readResolved, readRow, writeRow } from "./project-rows";

const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 5 * 60_000;

/** Backoff after `attempts` failed deliveries in a row: 1 s, 2 s, 4 s, … at most 5 minutes. */
export function retryDelay(attempts: number): number {
  return Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1));
}

type Notice =
  | { kind: "desire"; app: string; sourceCommit: string | null; cause: string; key: string; force: boolean }
  | { kind: "preview"; app: string; of: string; number: number; head: string; cause: string; key: string }
  | { kind: "destroy"; app: string; cause: string }
  | { kind: "forget"; app: string };

/** The newest notice per app since `after`; a force anywhere in between is kept. */
export function pendingNotices(events: Iterable<ProjectEvent & { key: string }>): Notice[] {
  const latest = new Map<string, Notice>();
  for (const e of events) {
    if (e.type === "app.desired") {
      const before = latest.get(e.data.app);
      const force = e.data.force || (before?.kind === "desire" && before.force);
      latest.set(e.data.app, { kind: "desire", ...e.data, key: e.key, force });
    } else if (e.type === "preview.desired") {
      const { app, of, number, head, cause } = e.data;
      latest.set(app, { kind: "preview", app, of, number, head, cause, key: e.key });
    } else if (e.type === "preview.closed") {
      latest.set(e.data.app, { kind: "destroy", app: e.data.app, cause: e.data.cause });
    } else if (e.type === "app.removed") {
      const { app, cause } = e.data;
      latest.set(app, e.data.prune ? { kind: "destroy", app, cause } : { kind: "forget", app });
    }
  }
  return [...latest.values()];
}

/** What one delivery pass left: a retry delay after a failure, and whether notices wait beyond its limit. */
export interface DeliveryResult {
  retryMs: number | null;
  more: boolean;
}

/**
 * Delivers what is pending, at most `limit` notices (one invocation's subrequest budget; the rest
 * go on in the next alarm). `retryMs` is null when nothing failed, otherwise the delay before the
 * retry alarm (the failure count is kept in the outbox-retry row, so the backoff grows across alarms).
 */
export async function deliverOutbox(
  store: EventStore,
  stream: string,
  ports: ProjectPorts,
  parallel: number,
  config: ConfigCommit = { url: "", commit: null },
  limit = Number.POSITIVE_INFINITY,
): Promise<DeliveryResult> {
  let more: boolean;
  try {
    more = await deliverPending(store, stream, ports, parallel, config, limit);
  } catch {
    const attempts = (readRow(store, "outbox-retry")?.attempts ?? 0) + 1;
    writeRow(store, "outbox-retry", { attempts });
    return { retryMs: retryDelay(attempts), more: false };
  }
  if (readRow(store, "outbox-retry") !== null) writeRow(store, "outbox-retry", null);
  return { retryMs: null, more };
}

/** The config repo and the commit last evaluated: where non-git sources' deploys are reported. */
export interface ConfigCommit {
  url: string;
  commit: string | null;
}

/** Delivers the next notices up to `limit`; true when more of the same pass wait for the next call. */
async function deliverPending(
  store: EventStore,
  stream: string,
  ports: ProjectPorts,
  parallel: number,
  config: ConfigCommit,
  limit: number,
): Promise<boolean> {
  const cursor = readRow(store, "outbox") ?? 0;
  // A pass cut into parts keeps its end: events after it wait for the next pass.
  const part = readRow(store, "outbox-part");
  const last = part?.last ?? store.version(stream);
  if (last <= cursor) return false;
  const events = [...readAfter(store, stream, cursor, last)] as unknown as (ProjectEvent & { key: string })[];
  const notices = pendingNotices(events);
  const done = part?.done ?? 0;
  const batch = notices.slice(done, done + Math.max(0, limit));
  const failures: unknown[] = [];
  await mapLimit(batch, parallel, async (notice) => {
    try {
      await deliver(store, ports, notice, config);
    } catch (error) {
      failures.push(error);
    }
  });
  // Only a clean part moves on; a failed one is retried whole (delivery is idempotent).
  if (failures.length > 0) throw failures[0];
  if (done + batch.length < notices.length) {
    if (batch.length > 0 || !part) writeRow(store, "outbox-part", { last, done: done + batch.length });
    return true;
  }
  writeRow(store, "outbox", last);
  if (part) writeRow(store, "outbox-part", null);
  return false;
}

async function deliver(store: EventStore, ports: ProjectPorts, notice: Notice, config: ConfigCommit) {
  if (notice.kind === "forget") return;
  if (notice.kind === "destroy") return ports.destroy(notice.app, notice.cause);
  if (notice.kind === "preview") {
    // Derived from the app's row as config resolves it now: a redelivery sends the same app.
    const of = readResolved(store, notice.of);
    if (!of?.previews) return;
    const app = previewApp(of, of.previews, { number: notice.number, commit: notice.head });
    await ports.desire({ app, sourceCommit: notice.head, cause: notice.cause, key: notice.key });
    return;
  }
  const app = readResolved(store, notice.app);
  if (!app) return;
  const { sourceCommit, cause, key, force } = notice;
  const origin = originOf(app, sourceCommit, config);
  await ports.desire({ app, sourceCommit, cause, key, origin, ...(force ? { force } : {}) });
}

function* readAfter(store: EventStore, stream: string, after: number, upTo: number) {
  for (let page = store.read(stream, after, 500); page.length > 0; page = store.read(stream, after, 500)) {
    for (const event of page) if (event.seq <= upTo) yield event;
    after = page[page.length - 1]!.seq;
    if (after >= upTo) return;
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
