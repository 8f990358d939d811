/**
 * The feedback outbox: deliveries a DO owes to git hosts and chat, in its own SQLite table beside
 * the event log. Rows are enqueued in the same synchronous block as the event that caused them,
 * keyed so the same event never enqueues twice; a row is the one place its retries are counted.
 * Deliveries to one lane (a repo, a webhook) go out in order: a waiting row holds the ones after it,
 * so `pending` never lands after `success`.
 */
import type { Delivery } from "../../notify/delivery";
import type { AfterSend, RowState } from "./retry";

export interface OutboxEntry {
  key: string;
  lane: string;
  delivery: Delivery;
}

export interface OutboxRow extends OutboxEntry {
  seq: number;
  attempts: number;
  dueAt: number;
  state: RowState;
}

/** Finished rows kept for idempotency and for `recall` (the last Deployment ids); older ones go. */
const KEEP_FINISHED = 500;
/**
 * Rows one lane may hold waiting. A host that answers 5xx forever holds its lane for about an hour
 * per row (MAX_ATTEMPTS with backoff) while every push adds rows: past this the oldest waiting
 * rows are dropped, newest kept (the latest status is the one that matters). A deployment-status
 * whose Deployment was dropped is skipped when its turn comes (send.ts).
 */
export const MAX_WAITING_PER_LANE = 100;

type Row = {
  seq: number;
  key: string;
  lane: string;
  delivery: string;
  attempts: number;
  due_at: number;
  state: string;
};

export class FeedbackOutbox {
  constructor(private readonly storage: Pick<DurableObjectStorage, "sql">) {}

  migrate(): void {
    this.storage.sql.exec(`CREATE TABLE IF NOT EXISTS feedback_outbox (
      seq INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, lane TEXT NOT NULL, delivery TEXT NOT NULL,
      attempts INTEGER NOT NULL DEFAULT 0, due_at INTEGER NOT NULL, state TEXT NOT NULL,
      result INTEGER, error TEXT)`);
    this.storage.sql.exec("CREATE INDEX IF NOT EXISTS feedback_outbox_state ON feedback_outbox (state, seq)");
  }

  /** Adds entries not seen before (by key); returns how many were new. */
  enqueue(entries: OutboxEntry[], now: number): number {
    let added = 0;
    const lanes = new Set<string>();
    for (const entry of entries) {
      lanes.add(entry.lane);
      const cursor = this.storage.sql.exec(
        "INSERT INTO feedback_outbox (key, lane, delivery, due_at, state) VALUES (?, ?, ?, ?, 'waiting') ON CONFLICT (key) DO NOTHING",
        entry.key,
        entry.lane,
        JSON.stringify(entry.delivery),
        now,
      );
      added += cursor.rowsWritten > 0 ? 1 : 0;
    }
    if (added > 0) for (const lane of lanes) this.capLane(lane);
    return added;
  }

  /** Drops a lane's oldest waiting rows past MAX_WAITING_PER_LANE, saying so in their error. */
  private capLane(lane: string): void {
    const cursor = this.storage.sql.exec(
      `UPDATE feedback_outbox SET state = 'dropped', error = ? WHERE lane = ? AND state = 'waiting' AND seq <= (
        SELECT seq FROM feedback_outbox WHERE lane = ? AND state = 'waiting' ORDER BY seq DESC LIMIT 1 OFFSET ?)`,
      `dropped unsent: more than ${MAX_WAITING_PER_LANE} deliveries waited in this lane (newer ones kept)`,
      lane,
      lane,
      MAX_WAITING_PER_LANE,
    );
    if (cursor.rowsWritten > 0) this.trim();
  }

  /** The first waiting row of each lane, oldest lane first: what may be sent now or next. */
  heads(): OutboxRow[] {
    const seen = new Set<string>();
    const heads: OutboxRow[] = [];
    for (const row of this.storage.sql.exec<Row>(
      "SELECT * FROM feedback_outbox WHERE state = 'waiting' ORDER BY seq",
    )) {
      if (seen.has(row.lane)) continue;
      seen.add(row.lane);
      heads.push(toRow(row));
    }
    return heads;
  }

  /** When the next waiting row is due, or null when nothing waits. */
  nextDue(): number | null {
    const heads = this.heads();
    return heads.length === 0 ? null : Math.min(...heads.map((row) => row.dueAt));
  }

  record(key: string, after: AfterSend): void {
    this.storage.sql.exec(
      "UPDATE feedback_outbox SET state = ?, attempts = ?, due_at = COALESCE(?, due_at), result = COALESCE(?, result), error = ? WHERE key = ?",
      after.state,
      after.attempts,
      after.dueAt ?? null,
      after.result ?? null,
      after.error ?? null,
      key,
    );
    if (after.state !== "waiting") this.trim();
  }

  /** The result a sent row stored (a GitHub Deployment's id), by key. */
  recall(key: string): number | null {
    const row = this.storage.sql
      .exec<{ result: number | null }>("SELECT result FROM feedback_outbox WHERE key = ? AND state = 'sent'", key)
      .toArray()[0];
    return row?.result ?? null;
  }

  /** Every row, oldest first (tests and the local log printer read it). */
  all(): (OutboxRow & { error: string | null })[] {
    return this.storage.sql
      .exec<Row & { error: string | null }>("SELECT * FROM feedback_outbox ORDER BY seq")
      .toArray()
      .map((row) => ({ ...toRow(row), error: row.error }));
  }

  private trim(): void {
    this.storage.sql.exec(
      `DELETE FROM feedback_outbox WHERE state != 'waiting' AND seq <= (
        SELECT seq FROM feedback_outbox WHERE state != 'waiting' ORDER BY seq DESC LIMIT 1 OFFSET ?)`,
      KEEP_FINISHED,
    );
  }
}

function toRow(row: Row): OutboxRow {
  return {
    seq: row.seq,
    key: row.key,
    lane: row.lane,
    delivery: JSON.parse(row.delivery) as Delivery,
    attempts: row.attempts,
    dueAt: row.due_at,
    state: row.state as RowState,
  };
}
