/** The dashboard's session cookie and CSRF token: signed, bound to the tokens, expiring. */
import { describe, expect, it } from "vitest";
import {
  checkCsrf,
  csrfToken,
  newSession,
  readSession,
  SESSION_TTL_MS,
  sessionKey,
  signSession,
} from "../../../src/worker/ui/session";
import { safeNext } from "../../../src/worker/ui/sign-in-routes";

const secrets = { API_TOKEN: "read-token", ADMIN_TOKEN: "admin-token" };
const now = Date.parse("2026-11-29T12:00:00Z");

describe("session cookie", () => {
  it("reads back what it signed, and keeps no token in the cookie", async () => {
    const key = (await sessionKey(secrets))!;
    const session = newSession("admin", now);
    const cookie = await signSession(key, session);
    expect(await readSession(key, cookie, now + 1000)).toEqual(session);
    expect(cookie).not.toContain("admin-token");
    expect(atob(cookie.split(".")[0]!.replaceAll("-", "+").replaceAll("_", "/"))).not.toContain("token");
  });

  it("expires after SESSION_TTL_MS", async () => {
    const key = (await sessionKey(secrets))!;
    const cookie = await signSession(key, newSession("read", now));
    expect(await readSession(key, cookie, now + SESSION_TTL_MS - 1)).not.toBeNull();
    expect(await readSession(key, cookie, now + SESSION_TTL_MS)).toBeNull();
  });

  it("refuses a changed payload, a foreign signature and garbage", async () => {
    const key = (await sessionKey(secrets))!;
    const cookie = await signSession(key, newSession("read", now));
    const [payload, signature] = cookie.split(".") as [string, string];
    // A reader who makes themselves admin, or lives forever, breaks the signature.
    const forged = btoa(JSON.stringify({ a: "admin", i: "x", e: now + 10 ** 12 })).replace(/=+$/, "");
    expect(await readSession(key, `${forged}.${signature}`, now)).toBeNull();
    expect(await readSession(key, `${payload}.${signature.slice(1)}A`, now)).toBeNull();
    for (const bad of [undefined, "", "abc", "a.b.c", `${payload}.`, `.${signature}`, `${payload}.!!`])
      expect(await readSession(key, bad, now)).toBeNull();
  });

  it("ends every session when a token is rotated", async () => {
    const cookie = await signSession((await sessionKey(secrets))!, newSession("admin", now));
    const rotated = (await sessionKey({ ...secrets, ADMIN_TOKEN: "new-admin-token" }))!;
    expect(await readSession(rotated, cookie, now)).toBeNull();
  });

  it("has no key, so no sign-in, when neither token is set", async () => {
    expect(await sessionKey({})).toBeNull();
    expect(await sessionKey({ API_TOKEN: "", ADMIN_TOKEN: "" })).toBeNull();
    expect(await sessionKey({ API_TOKEN: "only-read" })).not.toBeNull();
  });
});

describe("CSRF token", () => {
  it("is accepted for its own session only", async () => {
    const key = (await sessionKey(secrets))!;
    const mine = newSession("admin", now);
    const other = newSession("admin", now);
    const token = await csrfToken(key, mine);
    expect(await checkCsrf(key, mine, token)).toBe(true);
    expect(await checkCsrf(key, other, token)).toBe(false);
    expect(await checkCsrf(key, mine, await csrfToken(key, other))).toBe(false);
  });

  it("refuses a missing, empty, malformed or forged token", async () => {
    const key = (await sessionKey(secrets))!;
    const session = newSession("admin", now);
    const otherKey = (await sessionKey({ ADMIN_TOKEN: "someone-else" }))!;
    for (const bad of [undefined, "", "not base64!", 42, ["x"], await csrfToken(otherKey, session)])
      expect(await checkCsrf(key, session, bad)).toBe(false);
  });
});

describe("sign-in redirect target", () => {
  it("stays on this site", () => {
    expect(safeNext("/apps/x?cursor=abc")).toBe("/apps/x?cursor=abc");
    for (const bad of ["https://evil.example/", "//evil.example/", "/\\evil.example", "apps", "/a b", undefined, 3])
      expect(safeNext(bad)).toBe("/");
  });
});
