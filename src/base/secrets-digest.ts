import { createHmac, randomBytes } from "node:crypto";
import { canonicalJson } from "./canonical";

/**
 * A digest of names and values, sorted: what is stored and compared instead of the values. Keyed
 * (HMAC-SHA256 with a key only Tower holds, kept in Durable Object storage), because an unkeyed
 * hash of a short or guessable secret, seen in machine metadata or a config hash, can be tested
 * against guesses offline.
 */
export function secretsDigest(values: Record<string, string>, key: string): string {
  return `hmac-sha256:${createHmac("sha256", key).update(canonicalJson(values)).digest("hex")}`;
}

/** A fresh digest key: generated once per Durable Object and kept in its storage. */
export function newSecretsKey(): string {
  return randomBytes(32).toString("hex");
}

let processKey: string | undefined;

/**
 * For callers without storage (the CLI, tests): a random key for this process, made on first use,
 * so digests compare within one run and mean nothing outside it.
 */
export function processSecretsKey(): string {
  processKey ??= newSecretsKey();
  return processKey;
}
