import { describe, expect, it } from "vitest";
import { configChanges, machineConfigFor, sameConfig } from "../../../../src/fly/plan/machine-config";
import { planDeploy } from "../../../../src/fly/plan/plan-deploy";
import { liveAfter, shopApp, webConfig } from "../fixture-app";

const group = (config = webConfig()) => ({ processGroup: "web", region: "iad", count: 1, config });

/** A live config as Fly echoes `want`: autostop as a boolean, durations as Go prints them. */
function echoed(want: ReturnType<typeof machineConfigFor>) {
  const live = structuredClone(want) as unknown as {
    services: { autostop: unknown; checks: { interval: string; timeout: string; grace_period: string }[] }[];
    checks: Record<string, { interval: string }>;
  };
  live.services[0]!.autostop = false;
  live.services[0]!.checks[0]!.interval = "10.0s";
  live.services[0]!.checks[0]!.grace_period = "5000ms";
  live.checks.alive!.interval = "15s";
  return live as unknown as ReturnType<typeof machineConfigFor>;
}

describe("equivalent spellings Fly echoes", () => {
  it("an env value that reads like a duration is compared as written", () => {
    const want = machineConfigFor(group(webConfig("img", { TIMEOUT: "60s" })), "sec-1");
    const live = structuredClone(want);
    live.env!.TIMEOUT = "1m";
    expect(configChanges(want, live)).toEqual([{ path: "env.TIMEOUT", live: "1m", want: "60s" }]);
  });

  it("a machine Fly echoes with booleans and other duration spellings needs no update", () => {
    const want = machineConfigFor(group(), "sec-1");
    expect(configChanges(want, echoed(want))).toEqual([]);
    expect(sameConfig(want, echoed(want))).toBe(true);
    const desired = shopApp();
    const live = liveAfter(desired);
    for (const m of live.machines) if (m.config?.services) m.config = echoed(m.config as never);
    expect(planDeploy(desired, live).steps.filter((s) => s.kind === "machines")).toEqual([]);
  });

  it("names the fields that differ, with the live and wanted values", () => {
    const before = machineConfigFor(group(), "sec-1");
    const after = machineConfigFor(group(webConfig("registry.fly.io/shop:v1", { LOG: "debug" })), "sec-1");
    const live = structuredClone(before);
    live.env!.PRIMARY_REGION = "ams";
    live.services![0]!.ports![1]!.handlers = ["tls"];
    const paths = configChanges(after, live).filter((c) => !c.path.startsWith("metadata."));
    expect(paths).toEqual([
      { path: "env.LOG", want: "debug" },
      { path: "env.PRIMARY_REGION", live: "ams", want: "iad" },
      { path: "services[0].ports[1].handlers", live: ["tls"], want: ["http", "tls"] },
    ]);
    expect(sameConfig(after, live)).toBe(false);
  });
});
