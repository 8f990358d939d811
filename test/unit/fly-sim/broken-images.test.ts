import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FlySim, startFlySim } from "../../fly-sim";
import { imageBehaviour } from "../../fly-sim/image-behaviour";
import { api, baseConfig } from "./api";

let sim: FlySim;
let call: ReturnType<typeof api>;
const A = "/apps/broken-app";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  sim = await startFlySim({
    rateLimit: false,
    timings: { appReadyMs: 0, transitionMs: 10, checksReportMs: 20, checksPassMs: 60, crashMs: 30, secondMs: 50 },
  });
  call = api(sim);
  await call("POST", "/apps", { name: "broken-app", org_slug: "personal" });
});
afterAll(() => sim.close());

const withCheck = (image: string) => ({
  ...baseConfig,
  image,
  checks: { alive: { type: "http", port: 8080, path: "/healthz", grace_period: "5s" } },
});

interface ExitEvent {
  type: string;
  request?: { restart_count?: number; exit_event?: { exit_code?: number; restarting?: boolean } };
}

describe("fly-sim images that never become healthy", () => {
  it("reads the behaviour from the image's repository or tag, never from a digest", () => {
    expect(imageBehaviour("registry.example/web:crash-loop")).toBe("crash-loop");
    expect(imageBehaviour("crash-loop/web:1")).toBe("crash-loop");
    expect(imageBehaviour("registry.example/web:unhealthy-2")).toBe("unhealthy");
    expect(imageBehaviour("registry.example/web:1")).toBeUndefined();
    expect(imageBehaviour("registry.example/web-crash-loopy:1")).toBeUndefined();
    expect(imageBehaviour("registry.example/web@sha256:unhealthy")).toBeUndefined();
  });

  it("a crash-looping image exits non-zero again and again, restarting with a growing restart_count", async () => {
    const { body: m } = await call("POST", `${A}/machines`, {
      region: "iad",
      config: withCheck("registry.example/web:crash-loop"),
    });
    let exits: ExitEvent[] = [];
    for (let i = 0; i < 100 && exits.length < 3; i++) {
      await sleep(20);
      const events = (await call("GET", `${A}/machines/${m.id}/events?limit=50`)).body as ExitEvent[];
      exits = events.filter((e) => e.type === "exit");
    }
    // Newest first, as Fly lists them: what flyctl's isConstantlyRestarting reads.
    const [latest] = exits;
    expect(latest?.request?.exit_event).toMatchObject({ exit_code: 1, restarting: true });
    expect(latest?.request?.restart_count).toBeGreaterThan(1);
    const counts = exits.map((e) => e.request?.restart_count ?? 0).reverse();
    expect(counts.slice(0, 3)).toEqual([0, 1, 2]);
    const { body } = await call("GET", `${A}/machines/${m.id}`);
    expect(body.checks?.[0]?.status ?? "none").not.toBe("passing");
  });

  it("an unhealthy image runs, but its checks stay critical past the grace period", async () => {
    const { body: m } = await call("POST", `${A}/machines`, {
      region: "iad",
      config: withCheck("registry.example/web:unhealthy"),
    });
    await call("GET", `${A}/machines/${m.id}/wait?state=started&timeout=60`);
    await sleep(150);
    const { body } = await call("GET", `${A}/machines/${m.id}`);
    expect(body.state).toBe("started");
    expect(body.checks).toEqual([expect.objectContaining({ name: "alive", status: "critical" })]);
    const events = (await call("GET", `${A}/machines/${m.id}/events`)).body as ExitEvent[];
    expect(events.some((e) => e.type === "exit")).toBe(false);
  });
});
