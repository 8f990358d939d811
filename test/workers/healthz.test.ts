import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import pkg from "../../package.json";

describe("GET /healthz", () => {
  it("answers JSON with the version", async () => {
    const res = await SELF.fetch("https://tower.test/healthz");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, name: "tower", version: pkg.version });
  });

  it("answers unknown routes with a JSON 404", async () => {
    const res = await SELF.fetch("https://tower.test/nope");
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: "not_found" } });
  });
});
