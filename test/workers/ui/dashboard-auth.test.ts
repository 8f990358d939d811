/**
 * The dashboard's doors, in workerd through the real Worker: who may read, who may act, the
 * session cookie's attributes, the CSRF check, the security headers, and the JSON API left as it was.
 */
import { describe, expect, it } from "vitest";
import { send } from "../webhook/deliver";

const API_TOKEN = "api-token-5d1e0c";
const ADMIN_TOKEN = "admin-token-0b93aa";
const closed = { API_TOKEN, ADMIN_TOKEN, PUBLIC_API: "false" };
const open = { ...closed, PUBLIC_API: "true" };
const at = (path: string, init: RequestInit = {}) => new Request(`https://tower.test${path}`, init);
const form = (fields: Record<string, string>, cookie?: string): RequestInit => ({
  method: "POST",
  body: new URLSearchParams(fields),
  headers: cookie ? { cookie } : {},
});

async function signIn(token: string): Promise<string> {
  const res = await send(at("/sign-in", form({ token, next: "/" })), closed);
  expect(res.status).toBe(303);
  return /^[^;]+/.exec(res.headers.get("set-cookie") ?? "")![0];
}

describe("dashboard access", () => {
  it("sends a reader without a session to sign in, unless PUBLIC_API opens reads", async () => {
    const res = await send(at("/apps/x"), closed);
    expect([res.status, res.headers.get("location")]).toEqual([303, "/sign-in?next=%2Fapps%2Fx"]);
    const live = await send(at("/ui/live?after=0"), closed);
    expect(live.status).toBe(401);
    const page = await send(at("/"), open);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("public, read-only");
  });

  it("signs in with the API token or the admin token into a Secure HttpOnly SameSite=Strict cookie", async () => {
    const wrong = await send(at("/sign-in", form({ token: "nope" })), closed);
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("set-cookie")).toBeNull();
    const res = await send(at("/sign-in", form({ token: API_TOKEN, next: "/apps/x" })), closed);
    expect([res.status, res.headers.get("location")]).toEqual([303, "/apps/x"]);
    const cookie = res.headers.get("set-cookie")!;
    for (const part of ["__Host-tower_session=", "HttpOnly", "Secure", "SameSite=Strict", "Path=/", "Max-Age=43200"])
      expect(cookie).toContain(part);
    expect(cookie).not.toContain(API_TOKEN);
    const page = await send(at("/", { headers: { cookie: /^[^;]+/.exec(cookie)![0] } }), closed);
    expect(await page.text()).toContain("read-only");
    // An open redirect is not on offer.
    const away = await send(at("/sign-in", form({ token: API_TOKEN, next: "//evil.example/" })), closed);
    expect(away.headers.get("location")).toBe("/");
  });

  it("refuses actions to public readers, read sessions, and admin sessions without the CSRF token", async () => {
    expect((await send(at("/sync", form({ confirmed: "1" })), open)).status).toBe(403);
    const reader = await signIn(API_TOKEN);
    expect((await send(at("/sync", form({ confirmed: "1" }, reader)), closed)).status).toBe(403);
    const admin = await signIn(ADMIN_TOKEN);
    const bare = await send(at("/sync", form({ confirmed: "1" }, admin)), closed);
    expect(bare.status).toBe(403);
    expect(await bare.text()).toContain("CSRF token is missing or wrong");
    // The token from the admin's own page: the first POST only asks for confirmation.
    const page = await (await send(at("/", { headers: { cookie: admin } }), closed)).text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(page)![1]!;
    const ask = await send(at("/sync", form({ csrf }, admin)), closed);
    expect(ask.status).toBe(200);
    expect(await ask.text()).toContain('name="confirmed" value="1"');
    // A form posted from another site is refused whatever it carries (sign-in included).
    const crossSite = (path: string, fields: Record<string, string>) =>
      at(path, { ...form(fields, admin), headers: { cookie: admin, origin: "https://evil.example" } });
    expect((await send(crossSite("/sync", { csrf, confirmed: "1" }), closed)).status).toBe(403);
    expect((await send(crossSite("/sign-in", { token: API_TOKEN }), closed)).status).toBe(403);
    const fetchedFrom = (site: string) =>
      at("/sign-in", { ...form({ token: API_TOKEN }), headers: { "sec-fetch-site": site, origin: "null" } });
    expect((await send(fetchedFrom("cross-site"), closed)).status).toBe(403);
    expect((await send(fetchedFrom("same-origin"), closed)).status).toBe(303);
    // Another session's token does not carry over.
    const other = await signIn(ADMIN_TOKEN);
    expect((await send(at("/sync", form({ csrf, confirmed: "1" }, other)), closed)).status).toBe(403);
  });

  it("puts the security headers on dashboard answers and leaves the JSON API as it was", async () => {
    const res = await send(at("/sign-in"), closed);
    const csp = res.headers.get("content-security-policy")!;
    for (const part of ["default-src 'none'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'"])
      expect(csp).toContain(part);
    expect(csp).not.toContain("unsafe-inline");
    expect(res.headers.get("referrer-policy")).toBe("no-referrer");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("cache-control")).toBe("no-store");
    const html = await res.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)/);
    expect(html).not.toMatch(/\sstyle=/);
    const asset = /<link rel="stylesheet" href="([^"]+)"/.exec(html)![1]!;
    const css = await send(at(asset), closed);
    expect([css.status, css.headers.get("cache-control")]).toEqual([200, "public, max-age=31536000, immutable"]);

    const api = await send(at("/api/nope", { headers: { authorization: `Bearer ${API_TOKEN}` } }), closed);
    expect(api.status).toBe(404);
    expect(api.headers.get("content-security-policy")).toBeNull();
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe("not_found");
  });
});
