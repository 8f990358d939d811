import type { TowerEnv } from "../worker/env";

/** The root project's Durable Object: one per (config repo, ref, path). */
export function projectStub(env: Pick<TowerEnv, "PROJECT" | "CONFIG_REPO" | "CONFIG_REF" | "CONFIG_PATH">) {
  return env.PROJECT.get(env.PROJECT.idFromName(`${env.CONFIG_REPO}#${env.CONFIG_REF}:${env.CONFIG_PATH}`));
}

/** One Durable Object per Fly app, addressed by the app name. */
export function appStub(env: Pick<TowerEnv, "APP">, app: string) {
  return env.APP.get(env.APP.idFromName(app));
}
