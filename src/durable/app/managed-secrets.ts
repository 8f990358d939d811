/**
 * The secret names Tower has set on the app's Fly side, kept in a state row beside the log (names
 * only, never values). The planner unsets a name from this list once the config drops it; a name
 * not in it (set by hand with `fly secrets set`) is never touched.
 */
import type { EventStore } from "../event-store";
import { readRow, writeRow } from "./app-rows";

export function managedSecrets(store: Pick<EventStore, "getState">): string[] {
  return readRow(store, "managed-secrets") ?? [];
}

/**
 * After a slice: a finished deploy leaves exactly its names on Fly (the rest were unset); a
 * set-secrets step done mid-deploy adds its names, so a deploy failing later still remembers them.
 */
export function rememberSecrets(
  store: Pick<EventStore, "getState" | "putState">,
  names: string[],
  progress: { setDone: boolean; finished: boolean },
): void {
  if (progress.finished) writeRow(store, "managed-secrets", [...names].sort());
  else if (progress.setDone)
    writeRow(store, "managed-secrets", [...new Set([...managedSecrets(store), ...names])].sort());
}
