/**
 * The dashboard's session: a cookie `<payload>.<HMAC-SHA256 of payload>`, both base64url. The
 * payload says who signed in (read or admin), a random id (the CSRF token is bound to it) and
 * when it expires. The key is derived (HKDF) from the tokens themselves, so rotating API_TOKEN or
 * ADMIN_TOKEN ends every session signed under the old ones, and no extra secret is needed.
 */
import type { Access } from "../auth";

export interface Session {
  access: Access;
  /** Random, per sign-in: the CSRF token is an HMAC of it. */
  id: string;
  /** Expiry, ms since the epoch. */
  expires: number;
}

export const SESSION_COOKIE = "__Host-tower_session";
/** How long a sign-in lasts. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

const encoder = new TextEncoder();

/** The signing key, from whatever tokens are set; null when none is (nobody can sign in). */
export async function sessionKey(secrets: { API_TOKEN?: string; ADMIN_TOKEN?: string }): Promise<CryptoKey | null> {
  const parts = [secrets.ADMIN_TOKEN ?? "", secrets.API_TOKEN ?? ""];
  if (parts.every((part) => part === "")) return null;
  const material = await crypto.subtle.importKey("raw", encoder.encode(parts.join("\n")), "HKDF", false, ["deriveKey"]);
  return crypto.subtle.deriveKey(
    { name: "HKDF", hash: "SHA-256", salt: encoder.encode("tower"), info: encoder.encode("dashboard session v1") },
    material,
    { name: "HMAC", hash: "SHA-256", length: 256 },
    false,
    ["sign", "verify"],
  );
}

export function newSession(access: Access, now: number): Session {
  return { access, id: base64url(crypto.getRandomValues(new Uint8Array(18))), expires: now + SESSION_TTL_MS };
}

export async function signSession(key: CryptoKey, session: Session): Promise<string> {
  const payload = base64url(encoder.encode(JSON.stringify({ a: session.access, i: session.id, e: session.expires })));
  return `${payload}.${await mac(key, `session.${payload}`)}`;
}

/** The session a cookie value carries, or null when it is malformed, forged or expired. */
export async function readSession(key: CryptoKey, cookie: string | undefined, now: number): Promise<Session | null> {
  const [payload, signature, ...rest] = (cookie ?? "").split(".");
  if (!payload || !signature || rest.length > 0) return null;
  const bytes = fromBase64url(signature);
  if (!bytes) return null;
  // crypto.subtle.verify compares in constant time.
  const valid = await crypto.subtle.verify("HMAC", key, bytes, encoder.encode(`session.${payload}`));
  if (!valid) return null;
  const decoded = fromBase64url(payload);
  if (!decoded) return null;
  const fields = JSON.parse(new TextDecoder().decode(decoded)) as { a?: unknown; i?: unknown; e?: unknown };
  if ((fields.a !== "read" && fields.a !== "admin") || typeof fields.i !== "string" || typeof fields.e !== "number")
    return null;
  if (fields.e <= now) return null;
  return { access: fields.a, id: fields.i, expires: fields.e };
}

/** The CSRF token of a session: forms carry it, POSTs must send it back. */
export function csrfToken(key: CryptoKey, session: Session): Promise<string> {
  return mac(key, `csrf.${session.id}`);
}

export async function checkCsrf(key: CryptoKey, session: Session, given: unknown): Promise<boolean> {
  if (typeof given !== "string") return false;
  const bytes = fromBase64url(given);
  if (!bytes) return false;
  return crypto.subtle.verify("HMAC", key, bytes, encoder.encode(`csrf.${session.id}`));
}

async function mac(key: CryptoKey, text: string): Promise<string> {
  return base64url(new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(text))));
}

function base64url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function fromBase64url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]+$/.test(text)) return null;
  try {
    const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
    return Uint8Array.from(binary, (char) => char.charCodeAt(0));
  } catch {
    return null;
  }
}
