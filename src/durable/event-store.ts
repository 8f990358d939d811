/**
 * An append-only event log over a Durable Object's SQLite storage, shared by ProjectDO and AppDO.
 * Events are only ever INSERTed and never UPDATEd. The one DELETE is retention (`compact`): it drops
 * the oldest events of a stream, as a prefix, once a snapshot covers them and they are older than the
 * retention window, so what remains is always a contiguous tail of the log. Things that change with
 * time but must not grow the log (a cron's "last checked") live in the small `state` table.
 */
import { StorageError } from "../errors";
import type { StoredEvent } from "./contract";

/** An event about to be appended: the store assigns `seq`. */
export interface NewEvent {
  type: string;
  /** Schema version of `data`. */
  v: number;
  /** ISO 8601; comes in with the command, the store never reads the clock. */
  at: string;
  /** Idempotency key, unique across the whole store. */
  key: string;
  data: object;
}

export interface AppendResult {
  /** The stream's version (its last seq) after the append. */
  version: number;
  /** The events as stored: new ones, and for duplicate keys the ones stored before. */
  events: StoredEvent[];
  /** True when every event's key was already stored: nothing was appended. */
  duplicate: boolean;
}

/** Expected stream version: the last seq the caller saw (0 for an empty stream), or "any". */
export type ExpectedVersion = number | "any";

/** Upgrades an event stored under an older schema version to the current one, when read. */
export type Upcaster = (event: StoredEvent) => StoredEvent;

/** The slice of DurableObjectStorage the store needs. */
export type EventStorage = Pick<DurableObjectStorage, "sql" | "transactionSync">;

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS events (
    stream TEXT NOT NULL, seq INTEGER NOT NULL, type TEXT NOT NULL, v INTEGER NOT NULL,
    at TEXT NOT NULL, key TEXT NOT NULL UNIQUE, data TEXT NOT NULL, UNIQUE (stream, seq))`,
  `CREATE TABLE IF NOT EXISTS state (name TEXT PRIMARY KEY, value TEXT NOT NULL)`,
];

/**
 * Characters per part of a long text: even if every one took 3 bytes of UTF-8 or 2 of JSON
 * escaping, a part stays well under the 2 MB row cap.
 */
const PART_CHARS = 256 * 1024;

type EventRow = { seq: number; type: string; v: number; at: string; key: string; data: string; stream: string };

export class EventStore {
  constructor(
    private readonly storage: EventStorage,
    private readonly upcast: Upcaster = (event) => event,
  ) {}

  /** Creates the tables; call from `blockConcurrencyWhile` in the DO's constructor. */
  migrate(): void {
    for (const statement of SCHEMA) this.storage.sql.exec(statement);
  }

  /** The stream's last seq, 0 when empty. */
  version(stream: string): number {
    const row = this.storage.sql
      .exec<{ version: number | null }>("SELECT MAX(seq) AS version FROM events WHERE stream = ?", stream)
      .one();
    return row.version ?? 0;
  }

  /**
   * Appends `events` atomically. Events whose key is already stored are not appended again; their
   * stored copies come back instead. The version check applies only when something new is appended,
   * so retrying a whole batch that already landed succeeds as a duplicate.
   */
  append(stream: string, events: NewEvent[], expected: ExpectedVersion): AppendResult {
    return this.storage.transactionSync(() => {
      const stored: StoredEvent[] = [];
      const fresh: NewEvent[] = [];
      for (const event of events) {
        const existing = this.byKey(event.key);
        if (existing) stored.push(existing);
        else if (fresh.some((other) => other.key === event.key))
          throw new StorageError("duplicate_key", `two events in one append share key ${event.key}`, {
            key: event.key,
          });
        else fresh.push(event);
      }
      let version = this.version(stream);
      if (fresh.length === 0) return { version, events: stored, duplicate: events.length > 0 };
      if (expected !== "any" && expected !== version)
        throw new StorageError("conflict", `stream ${stream} is at version ${version}, expected ${expected}`, {
          stream,
          expected,
          actual: version,
        });
      for (const event of fresh) {
        version += 1;
        this.storage.sql.exec(
          "INSERT INTO events (stream, seq, type, v, at, key, data) VALUES (?, ?, ?, ?, ?, ?, ?)",
          stream,
          version,
          event.type,
          event.v,
          event.at,
          event.key,
          JSON.stringify(event.data),
        );
        stored.push({
          seq: version,
          type: event.type,
          v: event.v,
          at: event.at,
          key: event.key,
          data: { ...event.data },
        });
      }
      return { version, events: stored, duplicate: false };
    });
  }

  /** Events of `stream` with seq > `after`, oldest first, at most `limit`, upgraded to current versions. */
  read(stream: string, after = 0, limit = 1000): StoredEvent[] {
    return this.storage.sql
      .exec<EventRow>(
        "SELECT * FROM events WHERE stream = ? AND seq > ? ORDER BY seq LIMIT ?",
        stream,
        after,
        Math.max(0, Math.floor(limit)),
      )
      .toArray()
      .map((row) => this.upcast(toEvent(row)));
  }

  /** The last `limit` events of `stream`, newest first (a dashboard's view of the log). */
  readLatest(stream: string, limit: number): StoredEvent[] {
    return this.storage.sql
      .exec<EventRow>(
        "SELECT * FROM events WHERE stream = ? ORDER BY seq DESC LIMIT ?",
        stream,
        Math.max(0, Math.floor(limit)),
      )
      .toArray()
      .map((row) => this.upcast(toEvent(row)));
  }

  /** Every event of `stream` after seq `from`, read in pages (for replaying a projection). */
  *readAll(stream: string, pageSize = 500, from = 0): Generator<StoredEvent> {
    let after = from;
    for (;;) {
      const page = this.read(stream, after, pageSize);
      yield* page;
      if (page.length < pageSize) return;
      after = page[page.length - 1]!.seq;
    }
  }

  /** The stream's first stored seq (after `compact` it is past 1), 0 when empty. Indexed: no scan. */
  first(stream: string): number {
    const row = this.storage.sql
      .exec<{ first: number | null }>("SELECT MIN(seq) AS first FROM events WHERE stream = ?", stream)
      .one();
    return row.first ?? 0;
  }

  /**
   * Retention, the one DELETE on `events`: removes at most `limit` of the stream's oldest events,
   * stopping at the first one past seq `upTo` (what a snapshot covers) or not older than `before`
   * (ISO 8601). Only ever a prefix, so the log stays a contiguous tail, and never the newest event:
   * the stream's version is its last seq. Their idempotency keys go with them: a command repeating
   * a key that old is decided afresh. Answers how many went.
   */
  compact(stream: string, upTo: number, before: string, limit: number): number {
    const oldest = (n: number) =>
      this.storage.sql
        .exec<{ seq: number; at: string }>(
          "SELECT seq, at FROM events WHERE stream = ? AND seq <= ? ORDER BY seq LIMIT ?",
          stream,
          Math.min(upTo, this.version(stream) - 1),
          n,
        )
        .toArray();
    // Callers run this often (every alarm): with nothing due it reads one row, not `limit`.
    const first = oldest(1)[0];
    if (!first || first.at >= before) return 0;
    const rows = oldest(Math.max(0, Math.floor(limit)));
    let through = 0;
    let count = 0;
    for (const row of rows) {
      if (row.at >= before) break;
      through = row.seq;
      count += 1;
    }
    if (count > 0) this.storage.sql.exec("DELETE FROM events WHERE stream = ? AND seq <= ?", stream, through);
    return count;
  }

  /** The stored event with this idempotency key, if any. */
  byKey(key: string): StoredEvent | null {
    const row = this.storage.sql.exec<EventRow>("SELECT * FROM events WHERE key = ?", key).toArray()[0];
    return row ? this.upcast(toEvent(row)) : null;
  }

  getState<T>(name: string): T | null {
    const row = this.storage.sql.exec<{ value: string }>("SELECT value FROM state WHERE name = ?", name).toArray()[0];
    return row ? (JSON.parse(row.value) as T) : null;
  }

  /**
   * A text too big for one row (a Durable Object's SQLite caps a row at 2 MB): kept in parts of
   * PART_CHARS beside a head row naming their count, replaced together in one transaction.
   */
  putText(name: string, text: string): void {
    this.storage.transactionSync(() => {
      // The parts are the names from `${name}#` up to `${name}$` ("$" follows "#"): a range on the key.
      this.storage.sql.exec("DELETE FROM state WHERE name >= ? AND name < ?", `${name}#`, `${name}$`);
      const parts = Math.max(1, Math.ceil(text.length / PART_CHARS));
      for (let i = 0; i < parts; i++) this.putState(`${name}#${i}`, text.slice(i * PART_CHARS, (i + 1) * PART_CHARS));
      this.putState(name, { parts });
    });
  }

  /** What `putText` kept under `name`, or null. */
  getText(name: string): string | null {
    const head = this.getState<{ parts?: number }>(name);
    if (typeof head?.parts !== "number") return null;
    let text = "";
    for (let i = 0; i < head.parts; i++) {
      const part = this.getState<string>(`${name}#${i}`);
      if (part === null)
        throw new StorageError("corrupt_state", `state ${name} lacks part ${i} of ${head.parts}`, { name });
      text += part;
    }
    return text;
  }

  /** The state table is the one place rows are replaced: it holds no history by design. */
  putState(name: string, value: unknown): void {
    this.storage.sql.exec(
      "INSERT INTO state (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
      name,
      JSON.stringify(value),
    );
  }
}

function toEvent(row: EventRow): StoredEvent {
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(row.data) as Record<string, unknown>;
  } catch (cause) {
    throw new StorageError(
      "corrupt_event",
      `event ${row.stream}#${row.seq} has unreadable data`,
      { stream: row.stream, seq: row.seq },
      {
        cause,
      },
    );
  }
  return { seq: row.seq, type: row.type, v: row.v, at: row.at, key: row.key, data };
}

/**
 * Builds an upcaster from per-type steps: `steps[type][v]` turns data of version v into v + 1.
 * Events are stepped until no step applies, so v1 → v2 → v3 chains compose.
 */
export function upcasterFrom(
  steps: Record<string, Record<number, (data: Record<string, unknown>) => Record<string, unknown>>>,
): Upcaster {
  return (event) => {
    let current = event;
    for (let step = steps[current.type]?.[current.v]; step; step = steps[current.type]?.[current.v])
      current = { ...current, v: current.v + 1, data: step(current.data) };
    return current;
  };
}
