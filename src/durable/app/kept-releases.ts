/**
 * The resolved config of the last successful releases, by deploy id (a state row, never the log:
 * configs are large). A restore or rollback puts one back exactly; only those kept can be.
 */
import type { ResolvedApp } from "../../config/resolved-app";
import type { EventStore } from "../event-store";
import { readRow, writeRow } from "./app-rows";

/** Enough to roll back a few releases; each entry is one app's resolved config. */
const KEEP = 10;

type Rows = Pick<EventStore, "getState" | "putState">;

export function keepRelease(rows: Rows, deployId: string, app: ResolvedApp): void {
  const kept = readRow(rows, "releases") ?? [];
  const next = [...kept.filter((r) => r.deployId !== deployId), { deployId, app }].slice(-KEEP);
  writeRow(rows, "releases", next);
}

export function keptReleases(rows: Pick<Rows, "getState">): string[] {
  return (readRow(rows, "releases") ?? []).map((r) => r.deployId);
}

export function keptRelease(rows: Pick<Rows, "getState">, deployId: string): ResolvedApp | null {
  return (readRow(rows, "releases") ?? []).find((r) => r.deployId === deployId)?.app ?? null;
}
