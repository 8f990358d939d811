/** `startFlySim`: the simulator's parts wired together behind a Node HTTP server. */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { buildProgram } from "./build-program";
import { handleRegistry, SimRegistry } from "./build-registry";
import type { FailingChecksRule, SimCore } from "./context";
import { handleControl } from "./control-api";
import { DeployTokens } from "./deploy-tokens";
import { dispatchV1 } from "./dispatch";
import { Faults } from "./faults";
import { newApp } from "./handlers/apps";
import { requestId } from "./ids";
import { crashLoopProgram } from "./image-behaviour";
import { type ExitRule, exitRuleProgram, type MachineProgram, oneOffProgram } from "./programs";
import { seededRandom } from "./random";
import { RateLimiter, type RateLimitOptions } from "./rate-limit";
import { FLY_REGIONS } from "./regions";
import { type LoggedRequest, RequestLog } from "./request-log";
import { compileRoutes } from "./router";
import { routes } from "./routes";
import { defaultTimings, MachineRuntime, type Timings } from "./runtime";
import { type SimStateSnapshot, snapshot } from "./snapshot";
import { emptyCounters, emptyWorld, type SimCounters, type SimMachine } from "./world";

export interface FlySimOptions {
  /** Port to listen on (default: any free port). */
  port?: number;
  host?: string;
  /**
   * Append every /v1 request as a JSON line to this file. Unset: the suite's log named by
   * TOWER_FLY_SIM_RECORD (set by the test run's globalSetup), appended to; false: no file.
   */
  record?: string | false;
  /** Empty the record file first (default true). */
  truncateRecord?: boolean;
  timings?: Partial<Timings>;
  /** Fly's limits scaled by `scale` (default { scale: 1 }, Fly's own); false turns them off. */
  rateLimit?: RateLimitOptions | false;
  /** Seed for injected faults' randomness. */
  seed?: number;
  /** When set, the only token accepted. */
  token?: string;
  regions?: string[];
}

export interface FlySim {
  /** Base URL without /v1 (what FLY_API_BASE takes), e.g. http://127.0.0.1:4280. */
  url: string;
  close(): Promise<void>;
  /** Forgets all state, faults, rules and logged requests (of one app, when given). */
  reset(app?: string): void;
  state(app?: string): SimStateSnapshot;
  counters(app?: string): SimCounters;
  requests(app?: string): LoggedRequest[];
  leaseOverlaps(app?: string): number;
  doubleMounts(app?: string): number;
  faults: Faults;
  addExitRule(rule: ExitRule): void;
  clearExitRules(app?: string): void;
  /** Teaches the simulator what a machine runs (e.g. builds); later additions win. */
  addProgram(program: MachineProgram): void;
  /** An app named `name` held by organisation `org`, which the caller cannot see (403). */
  addForeignApp(name: string, org?: string): void;
  failChecks(rule: FailingChecksRule): void;
  clearFailingChecks(app?: string): void;
  setTimings(timings: Partial<Timings>): void;
  setRateLimit(options: RateLimitOptions | false): void;
  /** Manifests pushed by build machines; served under /v2 (the registry, not logged). */
  registry: SimRegistry;
}

export async function startFlySim(options: FlySimOptions = {}): Promise<FlySim> {
  const world = emptyWorld();
  const timings: Timings = { ...defaultTimings, ...options.timings };
  let exitRules: ExitRule[] = [];
  const registry = new SimRegistry();
  const deployTokens = new DeployTokens();
  // BuildKit machines build for real against their git context (build-program.ts).
  const secret = (app: string, name: string) => world.apps.get(app)?.secrets.get(name)?.value;
  const programs: MachineProgram[] = [
    crashLoopProgram(() => timings.crashMs),
    buildProgram(registry, { ...(options.token ? { token: options.token } : {}), secret, tokens: deployTokens }),
  ];
  const programFor = (m: SimMachine): MachineProgram | undefined => {
    const rule = exitRules.findLast((r) => exitRuleProgram(r, timings.oneOffRunMs).matches(m));
    if (rule) return exitRuleProgram(rule, timings.oneOffRunMs);
    const oneOff = oneOffProgram(timings.oneOffRunMs);
    return programs.findLast((p) => p.matches(m)) ?? (oneOff.matches(m) ? oneOff : undefined);
  };
  const countersByApp = new Map<string, SimCounters>();
  const core: SimCore = {
    world,
    runtime: new MachineRuntime(world, timings, programFor),
    countersByApp,
    bump(counter, app) {
      world.counters[counter]++;
      const c = countersByApp.get(app) ?? emptyCounters();
      c[counter]++;
      countersByApp.set(app, c);
    },
    programs,
    failingChecks: [],
    regions: new Set(options.regions ?? FLY_REGIONS),
    deployTokens,
  };
  const faults = new Faults(seededRandom(options.seed ?? Math.floor(Math.random() * 2 ** 31)));
  const limiter = new RateLimiter(options.rateLimit ?? { scale: 1 });
  const suiteLog = process.env.TOWER_FLY_SIM_RECORD || undefined;
  const log =
    options.record === undefined
      ? new RequestLog(suiteLog, false)
      : new RequestLog(options.record || undefined, options.truncateRecord ?? true);
  const requestCounts: Record<string, number> = {};
  const compiled = compileRoutes(routes);
  const deps = {
    core,
    routes: compiled,
    faults,
    limiter,
    log,
    requestCounts,
    ...(options.token ? { token: options.token } : {}),
  };

  const sim: FlySim = {
    url: "",
    close: async () => {
      core.runtime.dispose();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    reset(app) {
      if (app === undefined) {
        core.runtime.dispose();
        world.apps.clear();
        world.machines.clear();
        world.volumes.clear();
        world.counters = emptyCounters();
        countersByApp.clear();
        exitRules = [];
        core.failingChecks.length = 0;
        faults.clear();
        limiter.reset();
        log.clear();
        for (const k of Object.keys(requestCounts)) delete requestCounts[k];
        return;
      }
      for (const [id, m] of world.machines) {
        if (m.app !== app) continue;
        m.generation++; // pending transitions of a forgotten machine do nothing
        world.machines.delete(id);
      }
      for (const [id, v] of world.volumes) if (v.app === app) world.volumes.delete(id);
      world.apps.delete(app);
      countersByApp.delete(app);
      exitRules = exitRules.filter((r) => r.app !== app);
      sim.clearFailingChecks(app);
      faults.clear(app);
    },
    state: (app) => snapshot(core, { ...requestCounts }, app),
    counters: (app) => (app === undefined ? { ...world.counters } : { ...(countersByApp.get(app) ?? emptyCounters()) }),
    requests: (app) => log.all().filter((r) => app === undefined || r.app === app),
    leaseOverlaps: (app) => sim.counters(app).leaseOverlaps,
    doubleMounts: (app) => sim.counters(app).doubleMounts,
    faults,
    addExitRule: (rule) => exitRules.push(rule),
    clearExitRules: (app) => (exitRules = app === undefined ? [] : exitRules.filter((r) => r.app !== app)),
    addProgram: (program) => programs.push(program),
    addForeignApp: (name, org = "someone-else") => world.apps.set(name, newApp(name, org, 0, true)),
    failChecks: (rule) => core.failingChecks.push(rule),
    clearFailingChecks: (app) => {
      const keep = core.failingChecks.filter((r) => app !== undefined && r.app !== app);
      core.failingChecks.splice(0, core.failingChecks.length, ...keep);
    },
    setTimings: (t) => Object.assign(timings, t),
    setRateLimit: (o) => (limiter.options = o),
    registry,
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, { status: 500, body: { error: String(err), status: "unknown" } });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const rawBody = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", "http://sim");
    if (url.pathname.startsWith("/_sim/")) {
      let body: Record<string, unknown> = {};
      try {
        body = rawBody.trim() ? JSON.parse(rawBody) : {};
      } catch {
        return send(res, { status: 400, body: { error: "control body is not valid JSON" } });
      }
      return send(res, handleControl(sim, req.method ?? "GET", url, body));
    }
    if (url.pathname.startsWith("/v2"))
      return send(res, handleRegistry(registry, req.method ?? "GET", url, req.headers, options.token, deployTokens));
    if (!url.pathname.startsWith("/v1/"))
      return send(res, { status: 404, body: { error: "the Machines API lives under /v1", status: "unknown" } });
    const outcome = await dispatchV1(deps, {
      method: req.method ?? "GET",
      url: req.url ?? "/",
      headers: req.headers,
      rawBody,
    });
    if ("hang" in outcome) return;
    send(res, outcome);
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  sim.url = `http://${options.host ?? "127.0.0.1"}:${port}`;
  return sim;
}

function send(res: ServerResponse, reply: { status: number; body?: unknown; headers?: Record<string, string> }) {
  const headers: Record<string, string> = { "fly-request-id": requestId(), ...reply.headers };
  if (reply.body === undefined) {
    res.writeHead(reply.status, headers).end();
    return;
  }
  headers["content-type"] = "application/json; charset=utf-8";
  res.writeHead(reply.status, headers).end(JSON.stringify(reply.body));
}
