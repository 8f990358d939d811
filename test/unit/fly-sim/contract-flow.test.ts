/**
 * A deploy-shaped flow of valid calls against the run's shared simulator. Its requests land in
 * the suite's log (.tower-local/fly-requests.jsonl), which .ci/run checks against Fly's own API
 * description: so what the simulator accepts is also what Fly documents.
 */
import { describe, expect, inject, it } from "vitest";
import { flySimControl } from "../../fly-sim/control";

const base = inject("flyUrl");
const app = `contract-flow-${Date.now().toString(36)}`;
const A = `/apps/${app}`;
const failures: string[] = [];

async function c(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${base}/v1${path}`, {
    method,
    headers: { authorization: "Bearer contract-flow", ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (res.status >= 400) failures.push(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

describe("fly-sim contract flow (shared simulator)", () => {
  it("accepts a full deploy's worth of valid calls", async () => {
    await c("POST", "/apps?wait=true", { name: app, org_slug: "personal", network: "default" });
    // As fly-go's WaitForApp: a new app answers 404 for a moment.
    for (
      let i = 0;
      i < 100 && (await fetch(`${base}/v1${A}`, { headers: { authorization: "Bearer contract-flow" } })).status === 404;
      i++
    )
      await new Promise((r) => setTimeout(r, 50));
    await c("GET", A);
    await c("POST", `${A}/secrets`, { values: { DATABASE_URL: "postgres://db" } });
    await c("GET", `${A}/secrets`);
    const vol = await c("POST", `${A}/volumes`, { name: "data", region: "iad", size_gb: 1, encrypted: true });
    await c("PUT", `${A}/volumes/${vol.id}/extend`, { size_gb: 2 });
    await c("POST", `${A}/ip_assignments`, { type: "shared_v4" });
    await c("POST", `${A}/ip_assignments`, { type: "v6" });
    await c("GET", `${A}/ip_assignments`);
    const config = {
      image: "registry.fly.io/demo:deployment-1",
      guest: { cpu_kind: "shared", cpus: 1, memory_mb: 512 },
      env: { FLY_PROCESS_GROUP: "app", PRIMARY_REGION: "iad" },
      services: [
        {
          protocol: "tcp",
          internal_port: 8080,
          ports: [
            { port: 80, handlers: ["http"], force_https: true },
            { port: 443, handlers: ["http", "tls"] },
          ],
          checks: [{ type: "http", interval: "15s", timeout: "2s", grace_period: "5s", method: "GET", path: "/" }],
          autostop: "stop",
          autostart: true,
          min_machines_running: 1,
        },
      ],
      checks: { alive: { type: "tcp", port: 8080, interval: "10s" } },
      mounts: [{ volume: vol.id, path: "/data", name: "data" }],
      restart: { policy: "always" },
      metadata: {
        fly_platform_version: "v2",
        fly_process_group: "app",
        fly_release_id: "r1",
        fly_release_version: "1",
      },
      stop_config: { signal: "SIGTERM", timeout: "10s" },
      init: { cmd: ["node", "server.js"] },
    };
    const m = await c("POST", `${A}/machines`, { name: "app-iad-1", region: "iad", config, min_secrets_version: 1 });
    await c("GET", `${A}/machines/${m.id}/wait?state=started&timeout=30`);
    const lease = await c("POST", `${A}/machines/${m.id}/lease`, { ttl: 13, description: "tower deploy" });
    const nonce = { "fly-machine-lease-nonce": lease.data.nonce };
    const next = { ...config, metadata: { ...config.metadata, fly_release_version: "2" } };
    const up = await c("POST", `${A}/machines/${m.id}`, { config: next, current_version: m.instance_id }, nonce);
    await c("GET", `${A}/machines/${m.id}/wait?state=started&version=${up.instance_id}&timeout=30`);
    await c("GET", `${A}/machines/${m.id}`);
    await c("DELETE", `${A}/machines/${m.id}/lease`, undefined, nonce);
    await c("GET", `${A}/machines?summary=true&region=iad`);
    const release = await c("POST", `${A}/machines`, {
      region: "iad",
      config: {
        image: "registry.fly.io/demo:deployment-2",
        auto_destroy: true,
        restart: { policy: "no" },
        env: { RELEASE_COMMAND: "1" },
        metadata: { fly_platform_version: "v2", fly_process_group: "fly_app_release_command" },
        init: { cmd: ["bin/migrate"] },
      },
    });
    await c("GET", `${A}/machines/${release.id}/wait?state=destroyed&timeout=30`);
    const events = await c("GET", `${A}/machines/${release.id}/events`);
    expect(failures).toEqual([]);
    // A clean exit has no exit_code (fly-go's omitempty).
    expect(events.find((e: { type: string }) => e.type === "exit").request.exit_event.exit_code).toBeUndefined();
    const control = flySimControl(base);
    expect(await control.leaseOverlaps(app)).toBe(0);
    expect(await control.doubleMounts(app)).toBe(0);
    expect((await control.state(app)).machines.filter((x) => x.state === "started")).toHaveLength(1);
  });
});
