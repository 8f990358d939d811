/**
 * The AppDO's state rows beside its log, named and typed in one place. Each is written in the same
 * synchronous block as the event that refers to it, so the log and the rows never disagree.
 */

import type { ResolvedApp } from "../../config/resolved-app";
import type { SecretDigests } from "../../fly/build";
import type { EventStore } from "../event-store";
import { fromStoredApp } from "../stored-resolved-app";
import type { DeployFeedback } from "./feedback-plan";

type Rows = Pick<EventStore, "getState" | "putState">;

interface RowTypes {
  /** HMAC key of this DO's secrets digests: made once, never leaves the DO (secrets-digest.ts). */
  "secrets-key": string;
  /** The resolved app of the newest desired state: copied into `deploy-app` when its deploy starts. */
  "desired-app": ResolvedApp;
  /** The resolved app of the running (after it, the last) deploy; drift checks compare against it. */
  "deploy-app": { deployId: string; app: ResolvedApp | null };
  /** The executor's journal of the running deploy, and the earliest time Fly may be called again. */
  journal: { deployId: string; journal: unknown; notBefore?: number };
  /** Secret names Tower has set on Fly (never values): see managed-secrets.ts. */
  "managed-secrets": string[];
  /** The resolved config of the last successful releases (kept-releases.ts): restores and rollbacks. */
  releases: { deployId: string; app: ResolvedApp }[];
  /** Digests of the builder app's secrets as this AppDO last set or saw them. */
  "builder-secrets": { app: string; digests: SecretDigests };
  /** The ProjectDO that last told this app its desired state, and the log version last reported to it. */
  project: { id: string; reported: number };
  /** The commit the newest desired state came from (`{url, sha}`), written with `desired-app`. */
  "desired-origin": { url: string; sha: string } | null;
  /** How far retention got through the deploy history table (its `pos`): see retention.ts. */
  retention: { deploysThrough: number };
  /** The deploy that asked Fly to create the app, written before the request (ownership-gate.ts). */
  creating: { deployId: string };
  /** Where the running (after it, the last) deploy is reported; fixed when it starts. */
  "deploy-feedback": { deployId: string; feedback: DeployFeedback };
}

export type AppRow = keyof RowTypes;

export function readRow<K extends AppRow>(rows: Pick<Rows, "getState">, name: K): RowTypes[K] | null {
  return upgradeRow(name, rows.getState<RowTypes[K]>(name));
}

/** Rows holding resolved apps may predate the `configHash` name (stored-resolved-app.ts). */
function upgradeRow<K extends AppRow>(name: K, value: RowTypes[K] | null): RowTypes[K] | null {
  if (value === null) return null;
  const row: Partial<RowTypes> = { [name]: value };
  if (row["desired-app"]) return fromStoredApp(row["desired-app"]) as RowTypes[K];
  if (row["deploy-app"]) {
    const { deployId, app } = row["deploy-app"];
    return { deployId, app: fromStoredApp(app) } as RowTypes[K];
  }
  if (row.releases) return row.releases.map((r) => ({ ...r, app: fromStoredApp(r.app) })) as RowTypes[K];
  return value;
}

export function writeRow<K extends AppRow>(rows: Pick<Rows, "putState">, name: K, value: RowTypes[K]): void {
  rows.putState(name, value);
}

/** This DO's secrets-digest key, made and stored on first use (its `secrets-key` row). */
export { secretsKey } from "../secrets-key";
