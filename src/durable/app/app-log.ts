/**
 * The AppDO's log and its in-memory state: decide against the current state, append with the
 * state's version as the expected version, fold what was stored. Synchronous on purpose: between
 * deciding and appending nothing else can run, so a command always sees the latest state.
 */
import type { StoredEvent } from "../contract";
import { type EventStorage, EventStore } from "../event-store";
import type { AppCommand } from "./commands";
import { decide } from "./decide";
import { APP_STREAM, type AppEvent } from "./events";
import { evolve } from "./evolve";
import { type AppState, initialState } from "./state";
import { upcastAppEvent } from "./upcasters";

export interface ExecuteResult {
  events: AppEvent[];
  /** The command's key was seen before: nothing was appended. */
  duplicate: boolean;
}

export class AppLog {
  readonly store: EventStore;
  state: AppState = initialState();

  constructor(storage: EventStorage) {
    this.store = new EventStore(storage, upcastAppEvent);
  }

  /** Migrates the tables and replays the log; call inside `blockConcurrencyWhile`. */
  load(): void {
    this.store.migrate();
    let state = initialState();
    for (const stored of this.store.readAll(APP_STREAM)) state = evolve(state, asAppEvent(stored), stored.seq);
    this.state = state;
  }

  execute(command: AppCommand): ExecuteResult {
    if ("key" in command && this.store.byKey(command.key)) return { events: [], duplicate: true };
    const events = decide(command, this.state);
    if (events.length === 0) return { events, duplicate: false };
    const result = this.store.append(APP_STREAM, events, this.state.version);
    for (const stored of result.events)
      if (stored.seq > this.state.version) this.state = evolve(this.state, asAppEvent(stored), stored.seq);
    return { events, duplicate: result.duplicate };
  }

  read(after: number, limit: number): StoredEvent[] {
    return this.store.read(APP_STREAM, after, limit);
  }

  readLatest(limit: number): StoredEvent[] {
    return this.store.readLatest(APP_STREAM, limit);
  }
}

/** Rows of the app stream were written from AppEvent and upgraded by upcastAppEvent on read. */
function asAppEvent(stored: StoredEvent): AppEvent {
  return { type: stored.type, v: stored.v, at: stored.at, key: stored.key, data: stored.data } as AppEvent;
}
