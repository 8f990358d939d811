/** The AppDO's log and its in-memory state: the event-sourced shell over the app's decider. */
import { EventSourced } from "../event-sourced";
import { type EventStorage, EventStore } from "../event-store";
import type { AppCommand } from "./commands";
import { decide } from "./decide";
import { APP_STREAM, type AppEvent } from "./events";
import { evolve } from "./evolve";
import { type AppState, initialState } from "./state";
import { upcastAppEvent } from "./upcasters";

export class AppLog extends EventSourced<AppCommand, AppEvent, AppState> {
  constructor(storage: EventStorage) {
    super(new EventStore(storage, upcastAppEvent), APP_STREAM, { decide, evolve, initialState });
  }
}
