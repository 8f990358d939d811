/** The AppDO against Fly's real answers: names held elsewhere, configs echoed in Fly's spelling. */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { flySimControl } from "../../../fly-sim/control";
import { appStub } from "../../do-stubs";
import { eventsOf, notice, resolvedApp, settle } from "./fixtures";

const sim = flySimControl(env.FLY_API_BASE);
const unique = (prefix: string) => `${prefix}-${crypto.randomUUID().slice(0, 8)}`;

describe("AppDO and Fly's answers", () => {
  it("a name held by another organisation fails the deploy at once, naming the app and the reason", async () => {
    const name = unique("held");
    await sim.addForeignApp(name, "someone-else");
    const stub = appStub(env, name);
    await stub.desire(notice(resolvedApp(name), "k1"));
    const summary = await settle(stub, 2_000);
    expect(summary).toMatchObject({ status: "failed", lastDeploy: { outcome: "failed" } });
    const failed = (await eventsOf(stub)).find((e) => e.type === "deploy.failed");
    expect(failed?.data).toMatchObject({
      reason: expect.stringContaining(`the app name "${name}" is held by another Fly organisation`),
    });
    // Terminal: one look, no retries, nothing created.
    const requests = await sim.requests(name);
    expect(requests.filter((r) => r.operation === "Apps_show")).toHaveLength(1);
    expect(
      (await sim.requests()).filter(
        (r) => r.operation === "Apps_create" && (r.body as { name?: string } | undefined)?.name === name,
      ),
    ).toEqual([]);
  });

  it("an auto-stopping app whose durations Fly spells its own way is not redeployed by a drift check", async () => {
    const name = unique("sleepy");
    const stub = appStub(env, name);
    const http_service = {
      internal_port: 8080,
      auto_stop_machines: "stop",
      auto_start_machines: true,
      min_machines_running: 0,
      checks: [{ interval: "60s", timeout: "5s", grace_period: "1m", method: "GET", path: "/healthz" }],
    };
    const app = resolvedApp(name, { config: { app: name, http_service, kill_timeout: "90s" } });
    await stub.desire(notice(app, "k1"));
    expect(await settle(stub)).toMatchObject({ status: "synced", lastDeploy: { release: 1 } });
    const [machine] = (await sim.state(name)).machines;
    expect(machine).toBeDefined();

    expect(await stub.checkDrift("drift")).toMatchObject({ drift: false });
    expect(await settle(stub)).toMatchObject({ status: "synced", lastDeploy: { release: 1 } });
    expect((await eventsOf(stub)).filter((e) => e.type === "drift.detected")).toEqual([]);
  });
});
