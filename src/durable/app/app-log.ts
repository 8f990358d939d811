/** The AppDO's log and its in-memory state: the event-sourced shell over the app's decider. */
import type { StoredEvent } from "../contract";
import { EventSourced } from "../event-sourced";
import { type EventStorage, EventStore } from "../event-store";
import type { AppCommand } from "./commands";
import { decide } from "./decide";
import { DeployHistory } from "./deploy-history";
import { APP_STREAM, type AppEvent } from "./events";
import { evolve } from "./evolve";
import { type AppState, findDeploy, initialState } from "./state";
import { upcastAppEvent } from "./upcasters";

/**
 * A snapshot every this many events: a wake folds at most this many. Bump SNAPSHOT_SHAPE when
 * AppState or evolve change meaning (old snapshots are then ignored and the log replayed once).
 */
const SNAPSHOT_EVERY = 200;
const SNAPSHOT_SHAPE = 1;

export class AppLog extends EventSourced<AppCommand, AppEvent, AppState> {
  readonly history: DeployHistory;

  constructor(storage: EventStorage) {
    super(
      new EventStore(storage, upcastAppEvent),
      APP_STREAM,
      { decide, evolve, initialState },
      {
        every: SNAPSHOT_EVERY,
        shape: SNAPSHOT_SHAPE,
      },
    );
    this.history = new DeployHistory(storage, this.store);
  }

  override load(): void {
    this.history.migrate();
    super.load();
  }

  /**
   * The deploys an event touched, as they now are, into the history table (same synchronous block):
   * its own deploy, and for `restore.requested` also the failed deploy it marks `restoredBy`.
   */
  protected override folded(event: StoredEvent, state: AppState): void {
    for (const id of [event.data.deployId, event.data.failed]) {
      const record = typeof id === "string" ? findDeploy(state, id) : null;
      if (record) this.history.keep(record);
    }
  }
}
