import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FlySim, startFlySim } from "../../fly-sim";
import { api, baseConfig } from "./api";

let sim: FlySim;
let call: ReturnType<typeof api>;
const A = "/apps/life-app";

beforeAll(async () => {
  sim = await startFlySim({
    rateLimit: false,
    timings: { appReadyMs: 0, transitionMs: 20, checksReportMs: 500, checksPassMs: 900, oneOffRunMs: 30, secondMs: 50 },
  });
  call = api(sim);
  await call("POST", "/apps", { name: "life-app", org_slug: "personal" });
});
afterAll(() => sim.close());

const withCheck = {
  ...baseConfig,
  checks: { alive: { type: "http", port: 8080, path: "/healthz", grace_period: "5s" } },
};

describe("fly-sim machine lifecycle", () => {
  it("goes created → starting → started over time; checks pass after the grace period", async () => {
    const created = await call("POST", `${A}/machines`, { region: "iad", config: withCheck });
    expect(created.body.state).toBe("created");
    const id = created.body.id;
    const waited = await call("GET", `${A}/machines/${id}/wait?state=started&timeout=10`);
    expect(waited.body).toMatchObject({ ok: true, state: "started", version: created.body.instance_id });
    // Sampled until passing: no results at first, then critical (grace period), then passing.
    const seen: string[] = [];
    for (let i = 0; i < 200 && seen.at(-1) !== "passing"; i++) {
      const { body } = await call("GET", `${A}/machines/${id}`);
      const status = body.checks === undefined ? "none" : body.checks[0].status;
      if (seen.at(-1) !== status) seen.push(status);
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(seen).toEqual(["none", "critical", "passing"]);
    expect((await call("POST", `${A}/machines/${id}/start`)).status).toBe(412);
  });

  it("update gives a new version and restarts; wait by version; stop needs the version to wait", async () => {
    const { body: m } = await call("POST", `${A}/machines`, { region: "iad", config: baseConfig });
    await call("GET", `${A}/machines/${m.id}/wait?state=started`);
    const updated = await call("POST", `${A}/machines/${m.id}`, { config: { ...baseConfig, env: { A: "1" } } });
    expect(updated.status).toBe(200);
    expect(updated.body.instance_id).not.toBe(m.instance_id);
    expect(updated.body.state).toBe("replacing");
    const v = updated.body.instance_id;
    expect((await call("GET", `${A}/machines/${m.id}/wait?state=started&version=${v}`)).body.version).toBe(v);
    expect((await call("DELETE", `${A}/machines/${m.id}`)).status).toBe(412);
    expect((await call("POST", `${A}/machines/${m.id}/stop`, { signal: "SIGTERM", timeout: "5s" })).status).toBe(200);
    expect((await call("GET", `${A}/machines/${m.id}/wait?state=stopped&version=${v}`)).body.state).toBe("stopped");
    expect((await call("DELETE", `${A}/machines/${m.id}`)).status).toBe(200);
    // A wait that starts after the machine is already gone answers 404, which means destroyed (flyctl).
    const destroyed = await call("GET", `${A}/machines/${m.id}/wait?state=destroyed`);
    expect(destroyed.status === 404 || destroyed.body.state === "destroyed").toBe(true);
    expect((await call("GET", `${A}/machines`)).body.map((x: { id: string }) => x.id)).not.toContain(m.id);
    expect((await call("GET", `${A}/machines?include_deleted=true`)).body.map((x: { id: string }) => x.id)).toContain(
      m.id,
    );
    const versions = await call("GET", `${A}/machines/${m.id}/versions`);
    expect(versions.body).toHaveLength(2);
  });

  it("wait answers 408 when the state does not come in time", async () => {
    const { body: m } = await call("POST", `${A}/machines`, { region: "iad", config: baseConfig, skip_launch: true });
    const res = await call("GET", `${A}/machines/${m.id}/wait?state=started&timeout=1`);
    expect(res.status).toBe(408);
    expect(res.body.error).toContain("deadline_exceeded");
    expect((await call("GET", `${A}/machines/${m.id}`)).body.state).toBe("stopped");
  });

  it("runs one-off machines to their exit code (set per command) and destroys them", async () => {
    sim.addExitRule({ command: "bin/migrate", exitCode: 3 });
    const config = {
      ...baseConfig,
      auto_destroy: true,
      restart: { policy: "no" },
      init: { cmd: ["bin/migrate", "--all"] },
    };
    const { body: failing } = await call("POST", `${A}/machines`, { region: "iad", config });
    const { body: ok } = await call("POST", `${A}/machines`, {
      region: "iad",
      config: { ...config, init: { cmd: ["true"] } },
    });
    // 404 when it was destroyed before the wait began (flyctl reads that as destroyed).
    for (const m of [failing, ok])
      expect([200, 404]).toContain((await call("GET", `${A}/machines/${m.id}/wait?state=destroyed&timeout=5`)).status);
    const exitCode = async (id: string) => {
      const events = (await call("GET", `${A}/machines/${id}/events`)).body as {
        type: string;
        request?: { exit_event?: { exit_code?: number } };
      }[];
      return events.find((e) => e.type === "exit")?.request?.exit_event?.exit_code;
    };
    expect(await exitCode(failing.id)).toBe(3);
    expect(await exitCode(ok.id)).toBeUndefined(); // omitempty, as fly-go sends it: read as 0
    const gone = await call("GET", `${A}/machines/${ok.id}/wait?state=destroyed&timeout=1`);
    expect(gone.status).toBe(404);
  });

  it("restarts a crashing machine under restart policy on-failure up to max_retries, then leaves it stopped", async () => {
    sim.addExitRule({ app: "life-app", command: "crash", exitCode: 1, runMs: 10 });
    const config = { ...baseConfig, restart: { policy: "on-failure", max_retries: 2 }, init: { cmd: ["crash"] } };
    const { body: m } = await call("POST", `${A}/machines`, { region: "iad", config });
    const stopped = await call("GET", `${A}/machines/${m.id}/wait?state=stopped&version=${m.instance_id}&timeout=5`);
    expect(stopped.status).toBe(200);
    await new Promise((r) => setTimeout(r, 30));
    const events = (await call("GET", `${A}/machines/${m.id}/events?limit=50`)).body as {
      type: string;
      request?: { exit_event?: { restarting?: boolean } };
    }[];
    const exits = events.filter((e) => e.type === "exit").map((e) => e.request?.exit_event?.restarting);
    expect(exits).toEqual([undefined, true, true]); // restarting: false is omitted
    expect((await call("GET", `${A}/machines/${m.id}`)).body.state).toBe("stopped");
  });

  it("cordons, uncordons and records skip_service_registration", async () => {
    const { body: m } = await call("POST", `${A}/machines`, {
      region: "iad",
      config: baseConfig,
      skip_service_registration: true,
    });
    expect((await call("POST", `${A}/machines/${m.id}/cordon`)).status).toBe(200);
    let seen = sim.state("life-app").machines.find((x) => x.id === m.id);
    expect(seen).toMatchObject({ cordoned: true, skip_service_registration: true });
    await call("POST", `${A}/machines/${m.id}/uncordon`);
    seen = sim.state("life-app").machines.find((x) => x.id === m.id);
    expect(seen?.cordoned).toBe(false);
  });
});
