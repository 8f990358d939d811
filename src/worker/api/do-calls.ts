/**
 * Counts the Durable Object calls one API request makes and answers the count in
 * `X-Tower-DO-Calls`: reads must stay O(1) in the number of apps, and the scale bench checks it
 * from outside. Wraps the two namespaces of the request's env; nothing else changes.
 */
import type { MiddlewareHandler } from "hono";
import type { TowerEnv } from "../../env";

export const DO_CALLS_HEADER = "x-tower-do-calls";

export const countDoCalls: MiddlewareHandler<{ Bindings: TowerEnv }> = async (c, next) => {
  const counter = { calls: 0 };
  c.env = { ...c.env, PROJECT: counted(c.env.PROJECT, counter), APP: counted(c.env.APP, counter) };
  await next();
  c.header(DO_CALLS_HEADER, String(counter.calls));
};

/** The namespace, whose stubs count each method call (an RPC or a fetch) once. */
function counted<T>(namespace: T, counter: { calls: number }): T {
  if (!namespace) return namespace;
  const ns = namespace as unknown as DurableObjectNamespace;
  return new Proxy(ns, {
    get(target, prop) {
      const value = Reflect.get(target, prop) as unknown;
      if (typeof value !== "function") return value;
      if (prop !== "get") return value.bind(target);
      return (...args: Parameters<DurableObjectNamespace["get"]>) => countedStub(target.get(...args), counter);
    },
  }) as unknown as T;
}

function countedStub(stub: DurableObjectStub, counter: { calls: number }): DurableObjectStub {
  return new Proxy(stub, {
    get(target, prop) {
      // Not a thenable: `await stub` must not look like a call.
      if (prop === "then" || typeof prop === "symbol") return Reflect.get(target, prop);
      const method = Reflect.get(target, prop) as unknown;
      if (typeof method !== "function") return method;
      return (...args: unknown[]) => {
        counter.calls += 1;
        return (method as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}
