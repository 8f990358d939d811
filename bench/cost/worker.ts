/**
 * Tower's Worker with a meter around it, for `bench/cost.ts` only (`wrangler dev bench/cost/worker.ts`
 * with Tower's own wrangler.toml). Tower's code runs unchanged; at the edges this counts what
 * Cloudflare bills:
 *  - Worker invocations (fetch, scheduled), except the bench's own `/__meter` reads;
 *  - Durable Object requests: each RPC call from outside the object and each alarm (calls an
 *    object makes to its own methods are not requests, told apart with AsyncLocalStorage);
 *  - Durable Object duration: per object, the wall time during which at least one request or
 *    alarm was in flight (overlapping ones count once), by workerd's clock, which moves at I/O;
 *  - SQLite rows read and written, from every cursor `ctx.storage.sql.exec` returned, and alarms
 *    set (Cloudflare bills a `setAlarm` as one row written);
 *  - storage: each object's `sql.databaseSize` after its latest request, summed over objects.
 * All objects of a script share one isolate under `wrangler dev`, so one module-level meter sees
 * them all; `/__meter` answers it (and `?reset=1` starts a new window).
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { TowerEnv } from "../../src/env";
import tower, { AppDO as TowerAppDO, ProjectDO as TowerProjectDO } from "../../src/worker/index";

interface ObjectMeter {
  requests: number;
  activeMs: number;
  inFlight: number;
  since: number;
  /** `ctx.storage.sql.databaseSize` after the object's latest request: what storage is billed on. */
  bytes: number;
}

const meter = {
  workerRequests: 0,
  objects: new Map<string, ObjectMeter>(),
  cursors: [] as { rowsRead: number; rowsWritten: number }[],
  alarmsSet: 0,
};
/** The object whose method is running in this async context: a call to itself is no request. */
const inside = new AsyncLocalStorage<object>();

function objectMeter(key: string): ObjectMeter {
  let m = meter.objects.get(key);
  if (!m) meter.objects.set(key, (m = { requests: 0, activeMs: 0, inFlight: 0, since: 0, bytes: 0 }));
  return m;
}

/** Method calls from outside the object counted as requests, with the time they were in flight. */
async function track<T>(self: object, key: string, sql: SqlStorage, run: () => Promise<T>): Promise<T> {
  const m = objectMeter(key);
  m.requests += 1;
  if (m.inFlight++ === 0) m.since = Date.now();
  try {
    return await inside.run(self, run);
  } finally {
    if (--m.inFlight === 0) m.activeMs += Date.now() - m.since;
    m.bytes = sql.databaseSize;
  }
}

/**
 * Meters the object's storage in place: workerd's DurableObject base refuses anything but its own
 * state object, so `exec` and `setAlarm` are wrapped on the native objects themselves.
 */
function meterStorage(ctx: DurableObjectState): void {
  const { storage } = ctx;
  const { sql } = storage;
  const exec = sql.exec.bind(sql);
  const setAlarm = storage.setAlarm.bind(storage);
  Object.defineProperty(sql, "exec", {
    configurable: true,
    value: (query: string, ...bindings: unknown[]) => {
      const cursor = exec(query, ...bindings);
      meter.cursors.push(cursor);
      return cursor;
    },
  });
  Object.defineProperty(storage, "setAlarm", {
    configurable: true,
    value: (...args: Parameters<DurableObjectStorage["setAlarm"]>) => {
      meter.alarmsSet += 1;
      return setAlarm(...args);
    },
  });
}

// biome-ignore lint/suspicious/noExplicitAny: a mixin's base constructor must take `any[]` (TypeScript's rule).
type ObjectClass = new (...args: any[]) => object;

function metered<C extends ObjectClass>(Base: C, kind: string): C {
  const Metered = class extends Base {
    // biome-ignore lint/suspicious/noExplicitAny: the mixin rule again; these are (ctx, env).
    constructor(...args: any[]) {
      const [ctx, env] = args as [DurableObjectState, unknown];
      meterStorage(ctx);
      super(ctx, env);
      Object.assign(this, { meterKey: `${kind}:${ctx.id.toString()}`, meterSql: ctx.storage.sql });
    }
  };
  for (const name of Object.getOwnPropertyNames(Base.prototype)) {
    const method = Object.getOwnPropertyDescriptor(Base.prototype, name)?.value;
    if (name === "constructor" || typeof method !== "function") continue;
    Object.defineProperty(Metered.prototype, name, {
      configurable: true,
      writable: true,
      value: function (this: { meterKey: string; meterSql: SqlStorage }, ...args: unknown[]) {
        // A call from inside (`this.settings()`) stays what it was, synchronous ones included.
        // So does one from the constructor, before the key is set (AppDO reads its env there).
        if (inside.getStore() === this || this.meterKey === undefined) return method.apply(this, args);
        return track(this, this.meterKey, this.meterSql, async () => method.apply(this, args));
      },
    });
  }
  return Metered;
}

export const ProjectDO = metered(TowerProjectDO as unknown as ObjectClass, "project");
export const AppDO = metered(TowerAppDO as unknown as ObjectClass, "app");

export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    if (url.pathname === "/__meter") return Response.json(readMeter(url.searchParams.has("reset")));
    meter.workerRequests += 1;
    return tower.fetch(request, env, ctx);
  },
  async scheduled(controller, env, ctx) {
    meter.workerRequests += 1;
    await tower.scheduled(controller, env, ctx);
  },
} satisfies ExportedHandler<TowerEnv>;

function readMeter(reset: boolean) {
  let [rowsRead, rowsWritten] = [0, 0];
  for (const cursor of meter.cursors) {
    rowsRead += cursor.rowsRead;
    rowsWritten += cursor.rowsWritten;
  }
  const now = Date.now();
  const objects = [...meter.objects.entries()].map(([key, m]) => ({
    key,
    requests: m.requests,
    activeMs: m.activeMs + (m.inFlight > 0 ? now - m.since : 0),
  }));
  const sum = (kind: string, pick: (o: (typeof objects)[number]) => number) =>
    objects.filter((o) => o.key.startsWith(`${kind}:`)).reduce((total, o) => total + pick(o), 0);
  const answer = {
    workerRequests: meter.workerRequests,
    doRequests: { project: sum("project", (o) => o.requests), app: sum("app", (o) => o.requests) },
    doActiveMs: { project: sum("project", (o) => o.activeMs), app: sum("app", (o) => o.activeMs) },
    objectsTouched: objects.filter((o) => o.requests > 0).length,
    objectsSeen: objects.length,
    storageBytes: [...meter.objects.values()].reduce((total, m) => total + m.bytes, 0),
    inFlight: [...meter.objects.values()].reduce((total, m) => total + m.inFlight, 0),
    rowsRead,
    rowsWritten,
    alarmsSet: meter.alarmsSet,
  };
  if (reset) {
    meter.workerRequests = 0;
    meter.cursors = [];
    meter.alarmsSet = 0;
    for (const m of meter.objects.values()) {
      m.requests = 0;
      m.activeMs = 0;
      if (m.inFlight > 0) m.since = now;
    }
  }
  return answer;
}
