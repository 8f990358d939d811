import type { TowerEnv } from "../env";
import type { AppNoticeRpc, AppRpc, ProjectRpc } from "./contract";

/*
 * src/env.ts leaves the Durable Object bindings untyped so it imports nothing; the RPC types come
 * from ./contract (not the DO classes, which would close a loop through the code that calls stubs).
 */
type ProjectNamespace = DurableObjectNamespace<ProjectRpc & Rpc.DurableObjectBranded>;
type AppNamespace = DurableObjectNamespace<AppRpc & AppNoticeRpc & Rpc.DurableObjectBranded>;

/** The root project's Durable Object: one per (config repo, ref, path). */
export function projectStub(env: Pick<TowerEnv, "PROJECT" | "CONFIG_REPO" | "CONFIG_REF" | "CONFIG_PATH">) {
  const ns = env.PROJECT as unknown as ProjectNamespace;
  return ns.get(ns.idFromName(`${env.CONFIG_REPO}#${env.CONFIG_REF}:${env.CONFIG_PATH}`));
}

/** A ProjectDO of its own for benches (`bench:<name>`), never the root project's. */
export function benchProjectStub(env: Pick<TowerEnv, "PROJECT">, name: string) {
  const ns = env.PROJECT as unknown as ProjectNamespace;
  return ns.get(ns.idFromName(`bench:${name}`));
}

/** The ProjectDO with this id (as `DurableObjectId.toString()` wrote it): where an AppDO reports. */
export function projectStubById(env: Pick<TowerEnv, "PROJECT">, id: string) {
  const ns = env.PROJECT as unknown as ProjectNamespace;
  return ns.get(ns.idFromString(id));
}

/** One Durable Object per Fly app, addressed by the app name. */
export function appStub(env: Pick<TowerEnv, "APP">, app: string) {
  const ns = env.APP as unknown as AppNamespace;
  return ns.get(ns.idFromName(app));
}
