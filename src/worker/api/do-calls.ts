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

/**
 * The namespace, counting each stub it hands out: every route makes exactly one call per stub it
 * gets (wrapping the stubs themselves breaks their RPC), so stubs handed out = calls made.
 */
function counted<T>(namespace: T, counter: { calls: number }): T {
  if (!namespace) return namespace;
  const ns = namespace as unknown as DurableObjectNamespace;
  return {
    idFromName: (name: string) => ns.idFromName(name),
    idFromString: (id: string) => ns.idFromString(id),
    newUniqueId: (options?: DurableObjectNamespaceNewUniqueIdOptions) => ns.newUniqueId(options),
    jurisdiction: (where: DurableObjectJurisdiction) => ns.jurisdiction(where),
    get: (id: DurableObjectId, options?: DurableObjectNamespaceGetDurableObjectOptions) => {
      counter.calls += 1;
      return ns.get(id, options);
    },
    getByName: (name: string, options?: DurableObjectNamespaceGetDurableObjectOptions) => {
      counter.calls += 1;
      return ns.getByName(name, options);
    },
  } as unknown as T;
}
