/**
 * The deploys API's page cursor: the position of a row in the deploy history table, opaque to
 * callers (a cursor Tower did not give out is refused, naming the field).
 */
import { TowerError } from "../../errors";

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

/** For the API and the dashboard: whether a cursor is one `deploys` gave out (a bad one would reject the RPC). */
export function isDeployCursor(cursor: string): boolean {
  try {
    decodeCursor(cursor);
    return true;
  } catch {
    return false;
  }
}
