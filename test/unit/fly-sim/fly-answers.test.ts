/** Answers the simulator gives as Fly gives them, where a kinder stand-in would have told clients what they hoped. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FlySim, startFlySim } from "../../fly-sim";
import { api, baseConfig } from "./api";

let sim: FlySim;
let call: ReturnType<typeof api>;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  sim = await startFlySim({ rateLimit: false, record: false, timings: { appReadyMs: 200, transitionMs: 10 } });
  call = api(sim);
});
afterAll(() => sim.close());

async function readyApp(name: string) {
  expect((await call("POST", "/apps?wait=true", { name, org_slug: "personal" })).status).toBe(201);
  for (let i = 0; i < 100 && (await call("GET", `/apps/${name}`)).status === 404; i++) await sleep(20);
}

describe("fly-sim apps", () => {
  it("a new app answers 404 for a moment after its creation, everywhere, then 200", async () => {
    expect((await call("POST", "/apps?wait=true", { name: "new-app", org_slug: "personal" })).status).toBe(201);
    expect((await call("GET", "/apps/new-app")).status).toBe(404);
    expect((await call("POST", "/apps/new-app/secrets", { values: { A: "1" } })).status).toBe(404);
    await sleep(250);
    expect((await call("GET", "/apps/new-app")).body).toMatchObject({
      name: "new-app",
      organization: { slug: "personal" },
    });
  });

  it("a name is taken once: creating it again answers 422 Name has already been taken, ready or not", async () => {
    await call("POST", "/apps", { name: "twice-app", org_slug: "personal" });
    const again = await call("POST", "/apps", { name: "twice-app", org_slug: "personal" });
    expect(again).toMatchObject({ status: 422, body: { error: "Name has already been taken" } });
  });

  it("a name held by another organisation answers 403, refuses creation and is not listed", async () => {
    sim.addForeignApp("held-app", "other-org");
    expect((await call("GET", "/apps/held-app")).status).toBe(403);
    expect((await call("GET", "/apps/held-app/machines")).status).toBe(403);
    expect((await call("POST", "/apps", { name: "held-app", org_slug: "personal" })).status).toBe(422);
    const listed = await call("GET", "/apps?org_slug=other-org");
    expect(listed.body.apps).toEqual([]);
  });
});

describe("fly-sim machine configs", () => {
  it("echoes autostop stop/off as booleans and durations as Go prints them; env and metadata as sent", async () => {
    await readyApp("echo-app");
    const config = {
      ...baseConfig,
      env: { timeout: "60s" },
      services: [
        {
          internal_port: 8080,
          protocol: "tcp",
          autostop: "stop",
          checks: [{ type: "http", interval: "60s", timeout: "1500ms", grace_period: "1m", path: "/" }],
        },
        { internal_port: 9090, protocol: "tcp", autostop: "off" },
        { internal_port: 9091, protocol: "tcp", autostop: "suspend" },
      ],
      stop_config: { timeout: "90s" },
    };
    const { body: m } = await call("POST", "/apps/echo-app/machines", { region: "iad", config });
    const { body } = await call("GET", `/apps/echo-app/machines/${m.id}`);
    expect(body.config.services.map((s: { autostop: unknown }) => s.autostop)).toEqual([true, false, "suspend"]);
    expect(body.config.services[0].checks[0]).toMatchObject({
      interval: "1m0s",
      timeout: "1.5s",
      grace_period: "1m0s",
    });
    expect(body.config.stop_config.timeout).toBe("1m30s");
    expect(body.config.env).toEqual({ timeout: "60s" });
  });

  it("refuses files whose raw_value is not base64, with 400 naming the file", async () => {
    await readyApp("files-app");
    const file = (raw_value: string) => ({
      region: "iad",
      config: { ...baseConfig, files: [{ guest_path: "/etc/app.conf", raw_value }] },
    });
    const plain = await call("POST", "/apps/files-app/machines", file("port = 8080"));
    expect(plain.status).toBe(400);
    expect(plain.body.error).toContain("/etc/app.conf");
    const encoded = await call("POST", "/apps/files-app/machines", file(Buffer.from("port = 8080").toString("base64")));
    expect(encoded.status).toBe(200);
  });
});
