/**
 * A fetch-only client for the simulator's `/_sim` control API, usable from workerd tests (no Node
 * imports). Scope faults and rules to your test's app so tests sharing the simulator stay apart.
 */
import type { FailingChecksRule } from "./context";
import type { FaultRule, FaultSettings } from "./faults";
import type { ExitRule } from "./programs";
import type { RateLimitOptions } from "./rate-limit";
import type { LoggedRequest } from "./request-log";
import type { Timings } from "./runtime";
import type { SimStateSnapshot } from "./snapshot";
import type { SimCounters } from "./world";

export interface FlySimControl {
  reset(app?: string): Promise<void>;
  state(app?: string): Promise<SimStateSnapshot>;
  counters(app?: string): Promise<SimCounters>;
  requests(app?: string): Promise<LoggedRequest[]>;
  leaseOverlaps(app?: string): Promise<number>;
  doubleMounts(app?: string): Promise<number>;
  setFaults(settings: FaultSettings, app?: string): Promise<void>;
  addFaultRule(rule: FaultRule): Promise<void>;
  clearFaults(app?: string): Promise<void>;
  addExitRule(rule: ExitRule): Promise<void>;
  clearExitRules(app?: string): Promise<void>;
  addForeignApp(name: string, org?: string): Promise<void>;
  failChecks(rule: FailingChecksRule): Promise<void>;
  clearFailingChecks(app?: string): Promise<void>;
  setTimings(timings: Partial<Timings>): Promise<void>;
  setRateLimit(options: RateLimitOptions | false): Promise<void>;
}

export function flySimControl(baseUrl: string, fetcher: typeof fetch = fetch): FlySimControl {
  async function call<T>(method: string, path: string, app?: string, body?: unknown): Promise<T> {
    const url = new URL(`/_sim${path}`, baseUrl);
    if (app !== undefined) url.searchParams.set("app", app);
    const res = await fetcher(url, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { "content-type": "application/json" } }),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`fly-sim control ${method} ${path}: ${res.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }
  const ok = async (p: Promise<unknown>) => {
    await p;
  };
  return {
    reset: (app) => ok(call("POST", "/reset", app)),
    state: (app) => call("GET", "/state", app),
    counters: (app) => call("GET", "/counters", app),
    requests: (app) => call("GET", "/requests", app),
    leaseOverlaps: async (app) => (await call<SimCounters>("GET", "/counters", app)).leaseOverlaps,
    doubleMounts: async (app) => (await call<SimCounters>("GET", "/counters", app)).doubleMounts,
    setFaults: (settings, app) => ok(call("PUT", "/faults", app, settings)),
    addFaultRule: (rule) => ok(call("POST", "/faults/rules", undefined, rule)),
    clearFaults: (app) => ok(call("DELETE", "/faults", app)),
    addExitRule: (rule) => ok(call("POST", "/exit-rules", undefined, rule)),
    clearExitRules: (app) => ok(call("DELETE", "/exit-rules", app)),
    addForeignApp: (name, org) =>
      ok(call("POST", "/foreign-apps", undefined, { name, ...(org === undefined ? {} : { org_slug: org }) })),
    failChecks: (rule) => ok(call("POST", "/failing-checks", undefined, rule)),
    clearFailingChecks: (app) => ok(call("DELETE", "/failing-checks", app)),
    setTimings: (timings) => ok(call("PUT", "/timings", undefined, timings)),
    setRateLimit: (options) => ok(call("PUT", "/rate-limit", undefined, options === false ? { off: true } : options)),
  };
}
