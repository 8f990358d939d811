/**
 * Every deploy the app ever had, one row each, beside the log: the paged deploys API reads here,
 * so the folded state keeps only the deploys still deciding something (see `trimHistory`). A row
 * is written in the same synchronous block as the event that changed its deploy. This is a read
 * model, not the log: rows are replaced as the deploy moves (the `events` table stays append-only).
 */
import { TowerError } from "../../errors";
import type { DeployDetail, DeployOutcome, DeploySummary, Page } from "../contract";
import type { EventStorage } from "../event-store";
import { toDeployDetailOf, toDeploySummary } from "./projections";
import type { DeployRecord } from "./state";

const SCHEMA = `CREATE TABLE IF NOT EXISTS deploys (
  pos INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, outcome TEXT NOT NULL, record TEXT NOT NULL)`;

export class DeployHistory {
  constructor(private readonly storage: Pick<EventStorage, "sql">) {}

  migrate(): void {
    this.storage.sql.exec(SCHEMA);
  }

  /** Inserts the deploy (its position is its order of first appearance) or replaces its record. */
  keep(record: DeployRecord): void {
    this.storage.sql.exec(
      `INSERT INTO deploys (id, outcome, record) VALUES (?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET outcome = excluded.outcome, record = excluded.record`,
      record.id,
      record.outcome,
      JSON.stringify(record),
    );
  }

  /**
   * Deploys newest first, queued requests left out (they show as status "pending"). The cursor is
   * the position of the first deploy not returned, so pages stay stable while new deploys arrive.
   */
  page(query: { cursor?: string; outcome?: DeployOutcome; limit: number }): Page<DeploySummary> {
    const before = query.cursor === undefined ? Number.MAX_SAFE_INTEGER : decodeCursor(query.cursor);
    const limit = Math.max(1, Math.min(100, Math.floor(query.limit)));
    const rows = this.storage.sql
      .exec<{ pos: number; record: string }>(
        `SELECT pos, record FROM deploys WHERE pos <= ? AND outcome != 'queued' ${query.outcome ? "AND outcome = ?" : ""}
         ORDER BY pos DESC LIMIT ?`,
        ...(query.outcome ? [before, query.outcome, limit + 1] : [before, limit + 1]),
      )
      .toArray();
    const items = rows.slice(0, limit).map((row) => toDeploySummary(JSON.parse(row.record) as DeployRecord));
    return { items, next: rows.length > limit ? encodeCursor(rows[limit]!.pos) : null };
  }

  /**
   * Retention of the rows: from position `after` on, at most `limit` deploys that finished before
   * `before` (ISO 8601) lose their steps and are marked `compacted`; the summary, plan summary,
   * failure and error stay. Stops at the first deploy not yet due, so a cursor never skips one.
   * Answers the position reached (the next call's `after`) and how many rows it looked at.
   */
  compactSteps(after: number, before: string, limit: number): { through: number; count: number } {
    const rows = this.storage.sql
      .exec<{ pos: number; outcome: string; finished: string | null }>(
        `SELECT pos, outcome, json_extract(record, '$.finishedAt') AS finished FROM deploys
         WHERE pos > ? ORDER BY pos LIMIT ?`,
        after,
        Math.max(0, Math.floor(limit)),
      )
      .toArray();
    let through = after;
    let count = 0;
    for (const row of rows) {
      const done = row.outcome === "succeeded" || row.outcome === "failed" || row.outcome === "superseded";
      if (!done || row.finished === null || row.finished >= before) break;
      through = row.pos;
      count += 1;
    }
    if (count > 0)
      this.storage.sql.exec(
        `UPDATE deploys SET record = json_set(record, '$.steps', json('[]'), '$.compacted', json('true'))
         WHERE pos > ? AND pos <= ?`,
        after,
        through,
      );
    return { through, count };
  }

  detail(id: string): DeployDetail | null {
    const row = this.storage.sql.exec<{ record: string }>("SELECT record FROM deploys WHERE id = ?", id).toArray()[0];
    return row ? toDeployDetailOf(JSON.parse(row.record) as DeployRecord) : null;
  }
}

export function encodeCursor(position: number): string {
  return btoa(`d:${position}`);
}

export function decodeCursor(cursor: string): number {
  let text = "";
  try {
    text = atob(cursor);
  } catch {
    // Falls through to the error below.
  }
  const position = /^d:(\d+)$/.exec(text)?.[1];
  if (position === undefined)
    throw new TowerError("bad_cursor", "the deploys cursor is not one Tower gave out", { field: "cursor" });
  return Number(position);
}
