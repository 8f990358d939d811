import * as stubs from "../../src/durable/stubs";

/*
 * src/durable/stubs.ts, typed with the DO classes as test/workers/env.d.ts types the bindings
 * (the Worker's own stubs see only the RPC contract).
 */
type Env = Cloudflare.Env;

export function projectStub(env: Pick<Env, "PROJECT" | "CONFIG_REPO" | "CONFIG_REF" | "CONFIG_PATH">) {
  return stubs.projectStub(env as never) as unknown as ReturnType<Env["PROJECT"]["get"]>;
}

export function appStub(env: Pick<Env, "APP">, app: string) {
  return stubs.appStub(env as never, app) as unknown as ReturnType<Env["APP"]["get"]>;
}
