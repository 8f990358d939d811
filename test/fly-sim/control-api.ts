/**
 * The `/_sim` control API: what workerd tests (which cannot call Node functions) use to reset the
 * simulator, inject faults, set exit codes of one-off machines and read state. Not logged.
 */
import type { FailingChecksRule, Reply } from "./context";
import type { FaultRule, FaultSettings } from "./faults";
import type { ExitRule } from "./programs";
import type { RateLimitOptions } from "./rate-limit";
import type { Timings } from "./runtime";
import type { FlySim } from "./sim";

type Body = Record<string, unknown>;

export function handleControl(sim: FlySim, method: string, url: URL, body: Body): Reply {
  const app = url.searchParams.get("app") ?? (typeof body.app === "string" ? body.app : undefined);
  const route = `${method} ${url.pathname.replace(/^\/_sim/, "")}`;
  switch (route) {
    case "POST /reset":
      sim.reset(app);
      return { status: 200, body: { ok: true } };
    case "GET /state":
      return { status: 200, body: sim.state(app) };
    case "GET /requests":
      return { status: 200, body: sim.requests(app) };
    case "GET /counters":
      return { status: 200, body: sim.counters(app) };
    case "PUT /faults":
      sim.faults.set(body as FaultSettings, app);
      return { status: 200, body: { ok: true } };
    case "POST /faults/rules":
      sim.faults.addRule(body as FaultRule);
      return { status: 200, body: { ok: true } };
    case "DELETE /faults":
      sim.faults.clear(app);
      return { status: 200, body: { ok: true } };
    case "GET /faults":
      return { status: 200, body: sim.faults.snapshot() };
    case "POST /exit-rules":
      if (typeof body.exitCode !== "number") return bad("exitCode (a number) is required");
      sim.addExitRule(body as unknown as ExitRule);
      return { status: 200, body: { ok: true } };
    case "DELETE /exit-rules":
      sim.clearExitRules(app);
      return { status: 200, body: { ok: true } };
    case "POST /foreign-apps":
      if (typeof body.name !== "string") return bad("name (a string) is required");
      sim.addForeignApp(body.name, typeof body.org_slug === "string" ? body.org_slug : undefined);
      return { status: 200, body: { ok: true } };
    case "POST /failing-checks":
      sim.failChecks(body as FailingChecksRule);
      return { status: 200, body: { ok: true } };
    case "DELETE /failing-checks":
      sim.clearFailingChecks(app);
      return { status: 200, body: { ok: true } };
    case "PUT /timings":
      sim.setTimings(body as Partial<Timings>);
      return { status: 200, body: { ok: true } };
    case "PUT /rate-limit":
      sim.setRateLimit(body.off === true ? false : (body as unknown as RateLimitOptions));
      return { status: 200, body: { ok: true } };
    default:
      return { status: 404, body: { error: `no control endpoint ${route}` } };
  }
}

const bad = (error: string): Reply => ({ status: 400, body: { error } });
