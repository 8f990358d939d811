import type { DeployDetail, DeployOutcome, DeploySummary, Page } from "../contract";
import type { EventStorage, EventStore } from "../event-store";
import { readRow, writeRow } from "./app-rows";
import { decodeCursor, encodeCursor } from "./deploy-cursor";
import { toDeployDetailOf, toDeploySummary } from "./projections";
import type { DeployRecord } from "./state";

/** `record` is the DeployRecord without `steps` (rows written before the split may hold them). */
const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS deploys (
    pos INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, outcome TEXT NOT NULL, record TEXT NOT NULL)`,
  "CREATE TABLE IF NOT EXISTS deploy_steps (pos INTEGER PRIMARY KEY, steps TEXT NOT NULL)",
];

type Rows = Pick<EventStore, "getState" | "putState">;

export class DeployHistory {
  constructor(
    private readonly storage: Pick<EventStorage, "sql">,
    private readonly rows: Rows,
  ) {}

  migrate(): void {
    for (const statement of SCHEMA) this.storage.sql.exec(statement);
  }

  /** Inserts the deploy (its position is its order of first appearance) or replaces its record. */
  keep(record: DeployRecord): void {
    const { steps, ...rest } = record;
    const { pos } = this.storage.sql
      .exec<{ pos: number }>(
        `INSERT INTO deploys (id, outcome, record) VALUES (?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET outcome = excluded.outcome, record = excluded.record RETURNING pos`,
        record.id,
        record.outcome,
        JSON.stringify(rest),
      )
      .one();
    this.storage.sql.exec(
      "INSERT INTO deploy_steps (pos, steps) VALUES (?, ?) ON CONFLICT (pos) DO UPDATE SET steps = excluded.steps",
      pos,
      JSON.stringify(steps),
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
   * Retention of the rows: from where the last call stopped, at most `limit` deploys that finished
   * before `before` (ISO 8601) lose their steps; the summary, plan summary, failure and error stay.
   * Stops at the first deploy not yet due, so the cursor never skips one. Answers how many it took.
   */
  compactSteps(before: string, limit: number): number {
    const after = readRow(this.rows, "retention")?.deploysThrough ?? 0;
    const due = (n: number) =>
      this.storage.sql
        .exec<{ pos: number; outcome: string; finished: string | null }>(
          `SELECT pos, outcome, json_extract(record, '$.finishedAt') AS finished FROM deploys
           WHERE pos > ? ORDER BY pos LIMIT ?`,
          after,
          n,
        )
        .toArray();
    // This runs on every alarm: with nothing due it reads one row, not `limit`.
    const first = due(1)[0];
    if (!first || first.finished === null || first.finished >= before) return 0;
    const rows = due(Math.max(0, Math.floor(limit)));
    let through = after;
    let count = 0;
    for (const row of rows) {
      const done = row.outcome === "succeeded" || row.outcome === "failed" || row.outcome === "superseded";
      if (!done || row.finished === null || row.finished >= before) break;
      through = row.pos;
      count += 1;
    }
    if (count === 0) return 0;
    this.storage.sql.exec("DELETE FROM deploy_steps WHERE pos > ? AND pos <= ?", after, through);
    // Rows written before steps had their own table carry them inside the record.
    this.storage.sql.exec(
      `UPDATE deploys SET record = json_remove(record, '$.steps')
       WHERE pos > ? AND pos <= ? AND json_type(record, '$.steps') IS NOT NULL`,
      after,
      through,
    );
    writeRow(this.rows, "retention", { deploysThrough: through });
    return count;
  }

  /** One deploy with its steps; `compacted` when retention dropped them. */
  detail(id: string): DeployDetail | null {
    const row = this.storage.sql
      .exec<{ pos: number; record: string; steps: string | null }>(
        "SELECT d.pos, d.record, s.steps FROM deploys d LEFT JOIN deploy_steps s ON s.pos = d.pos WHERE d.id = ?",
        id,
      )
      .toArray()[0];
    if (!row) return null;
    const record = JSON.parse(row.record) as Omit<DeployRecord, "steps"> & { steps?: DeployRecord["steps"] };
    const steps = row.steps !== null ? (JSON.parse(row.steps) as DeployRecord["steps"]) : (record.steps ?? []);
    const detail = toDeployDetailOf({ ...record, steps });
    const compacted = row.steps === null && row.pos <= (readRow(this.rows, "retention")?.deploysThrough ?? 0);
    return detail && compacted ? { ...detail, compacted: true } : detail;
  }
}
