/**
 * The HMAC key of a Durable Object's secrets digests (`tower_secrets`, the secrets part of the
 * config hash): made on first use, kept in the DO's `secrets-key` state row, never sent anywhere.
 * Each DO has its own, so a digest means nothing outside the object that made it.
 */
import { newSecretsKey } from "../base/secrets-digest";
import type { EventStore } from "./event-store";

export function secretsKey(rows: Pick<EventStore, "getState" | "putState">): string {
  const key = rows.getState<string>("secrets-key");
  if (key !== null) return key;
  const made = newSecretsKey();
  rows.putState("secrets-key", made);
  return made;
}
