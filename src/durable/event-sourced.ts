/**
 * The one event-sourced shell both Durable Objects use (Emmett's Decider): decide against the
 * current state, append with the state's version as the expected version, fold what was stored.
 * A command carrying a `key` that was stored before is a duplicate and decides nothing. The
 * store upgrades old event versions when read (its upcaster), so `evolve` sees current ones only.
 * Synchronous on purpose: between deciding and appending nothing else can run in the DO.
 */
import { StorageError } from "../errors";
import type { StoredEvent } from "./contract";
import type { EventStore, NewEvent } from "./event-store";

/** An event as decided: data at its current schema version `v`, time and idempotency key. */
export type Decided<E extends { type: string; data: object }> = E & { v: number; at: string; key: string };

/** Builds events of one union at their current versions: the only place `v` is written. */
export function eventBuilder<E extends { type: string; data: object }>(versions: Record<E["type"], number>) {
  return <T extends E>(event: T, at: string, key: string): Decided<T> => ({
    ...event,
    v: versions[event.type as E["type"]],
    at,
    key,
  });
}

export interface Decider<C, E, S> {
  decide(command: C, state: S): E[];
  /** Folds one stored event (with its `seq`) into the state; the state's `version` becomes `seq`. */
  evolve(state: S, event: E & { seq: number }, seq: number): S;
  initialState(): S;
}

export interface Executed<E> {
  /** The events as decided (empty for a duplicate or a no-op). */
  events: E[];
  /** The same events as stored, with their `seq`. */
  stored: StoredEvent[];
  /** The command's (or its events') key was stored before: nothing was appended. */
  duplicate: boolean;
}

/**
 * Snapshots of the folded state, so a wake reads one row plus the events after it instead of the
 * whole log. `shape` names the state's layout: bump it whenever `evolve` or the state type changes
 * meaning, and a snapshot of another shape is ignored (the log is replayed in full, once).
 */
export interface SnapshotPolicy {
  every: number;
  shape: number;
}

interface Snapshot<S> {
  shape: number;
  version: number;
  state: S;
}

export class EventSourced<C extends object, E extends NewEvent, S extends { version: number }> {
  state: S;
  /** The version of the last snapshot written or read. */
  private snapshotAt = 0;
  /**
   * Called with each command's new events and the state after them, inside the append's
   * synchronous block: what must happen with an event (an outbox row) lands atomically with it.
   */
  observer: ((events: E[], state: S) => void) | null = null;

  constructor(
    readonly store: EventStore,
    readonly stream: string,
    private readonly decider: Decider<C, E, S>,
    private readonly snapshots: SnapshotPolicy | null = null,
  ) {
    this.state = decider.initialState();
  }

  /**
   * Creates the tables and folds the log (from the newest usable snapshot on); call inside
   * `blockConcurrencyWhile`.
   */
  load(): void {
    this.store.migrate();
    const snapshot = this.snapshots ? this.readSnapshot() : null;
    const usable = snapshot !== null && snapshot.shape === this.snapshots?.shape;
    // Past retention the log no longer starts at 1: only a snapshot of this shape can rebuild the state.
    if (!usable && this.store.first(this.stream) > 1)
      throw new StorageError(
        "snapshot_shape",
        `stream ${this.stream} was compacted and its snapshot (shape ${snapshot?.shape ?? "none"}) is not of shape ${this.snapshots?.shape ?? "none"}: the state cannot be rebuilt`,
        { stream: this.stream, shape: snapshot?.shape ?? null },
      );
    let state = usable ? snapshot.state : this.decider.initialState();
    this.snapshotAt = usable ? snapshot.version : 0;
    for (const stored of this.store.readAll(this.stream, 500, state.version)) {
      state = this.decider.evolve(state, asEvent<E>(stored), stored.seq);
      this.folded(stored, state);
    }
    this.state = state;
    this.maybeSnapshot();
  }

  /** The version the newest snapshot covers: retention may drop events up to it, never past it. */
  get snapshotVersion(): number {
    return this.snapshotAt;
  }

  /** Called after each event is folded in (on load and on execute): read models beside the log. */
  protected folded(_event: StoredEvent, _state: S): void {}

  execute(command: C): Executed<E> {
    const key = "key" in command && typeof command.key === "string" ? command.key : null;
    if (key !== null && this.store.byKey(key)) return { events: [], stored: [], duplicate: true };
    const events = this.decider.decide(command, this.state);
    if (events.length === 0) return { events, stored: [], duplicate: false };
    const result = this.store.append(this.stream, events, this.state.version);
    const fresh = result.events.filter((stored) => stored.seq > this.state.version);
    for (const stored of fresh) {
      this.state = this.decider.evolve(this.state, asEvent<E>(stored), stored.seq);
      this.folded(stored, this.state);
    }
    if (fresh.length > 0)
      this.observer?.(
        fresh.map((stored) => asEvent<E>(stored)),
        this.state,
      );
    this.maybeSnapshot();
    return { events, stored: result.events, duplicate: result.duplicate };
  }

  private snapshotRow(): string {
    return `snapshot/${this.stream}`;
  }

  /** The snapshot's row holds it inline (as AppDOs wrote them at first) or names the parts of its text. */
  private readSnapshot(): Snapshot<S> | null {
    const inline = this.store.getState<Snapshot<S> | { parts: number }>(this.snapshotRow());
    if (inline === null || "shape" in inline) return inline;
    const text = this.store.getText(this.snapshotRow());
    return text === null ? null : (JSON.parse(text) as Snapshot<S>);
  }

  /**
   * Writes a snapshot once `every` events were folded since the last: one text (in parts when
   * large: a project's state holds every app), replaced in one transaction.
   */
  private maybeSnapshot(): void {
    if (!this.snapshots || this.state.version - this.snapshotAt < this.snapshots.every) return;
    const snapshot: Snapshot<S> = { shape: this.snapshots.shape, version: this.state.version, state: this.state };
    this.store.putText(this.snapshotRow(), JSON.stringify(snapshot));
    this.snapshotAt = this.state.version;
  }

  read(after: number, limit: number): StoredEvent[] {
    return this.store.read(this.stream, after, limit);
  }

  /** The last `limit` events, newest first. */
  readLatest(limit: number): StoredEvent[] {
    return this.store.readLatest(this.stream, limit);
  }
}

/** Rows of a stream were written from its event union and upgraded by the store's upcaster on read. */
function asEvent<E>(stored: StoredEvent): E & { seq: number } {
  return stored as unknown as E & { seq: number };
}
