/**
 * HMAC-SHA256 of a delivery's bytes, checked with WebCrypto's `verify` (a constant-time compare).
 * Keys are imported once per secret and kept for the isolate's life: every delivery of a burst
 * would otherwise import the same key again, and verifying the bytes as they arrived saves
 * encoding the decoded text back (both cost more than the HMAC of a 7 KB push).
 */
const HEX_64 = /^[0-9a-fA-F]{64}$/;
/** Secrets in use are a handful (per provider, per repo, the previous while rotating). */
const MAX_KEYS = 64;
const keys = new Map<string, Promise<CryptoKey>>();

function keyFor(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (key === undefined) {
    if (keys.size >= MAX_KEYS) keys.clear();
    key = crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
      "verify",
    ]);
    keys.set(secret, key);
  }
  return key;
}

/** True when `hex` (64 hex digits) is the HMAC-SHA256 of `body` under one of `secrets`. */
export async function hmacMatchesAny(secrets: readonly string[], body: Uint8Array, hex: string): Promise<boolean> {
  if (!HEX_64.test(hex)) return false;
  const mac = new Uint8Array(32);
  for (let i = 0; i < 32; i++) mac[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  for (const secret of secrets) if (await crypto.subtle.verify("HMAC", await keyFor(secret), mac, body)) return true;
  return false;
}
