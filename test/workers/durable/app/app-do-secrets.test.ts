/** Secrets dropped from the config are unset on Fly, but only names Tower set: hand-set ones stay. */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { SecretRef } from "../../../../src/config/resolved-app";
import { createFlyClient } from "../../../../src/fly";
import { flySimControl } from "../../../fly-sim/control";
import { appStub } from "../../do-stubs";
import { notice, resolvedApp, settle } from "./fixtures";

const sim = flySimControl(env.FLY_API_BASE);
const client = () => createFlyClient({ baseUrl: env.FLY_API_BASE, token: env.FLY_API_TOKEN ?? "" });
const raw = (values: Record<string, string>): SecretRef[] =>
  Object.entries(values).map(([name, value]) => ({ name, from: "raw", value }));

async function flySecrets(app: string) {
  const state = await sim.state(app);
  const found = state.apps.find((a) => a.name === app)!;
  return { names: found.secrets.map((s) => s.name).sort(), version: found.secrets_version };
}

describe("AppDO secrets removed from config", () => {
  it("unsets names Tower set, never one set by hand, and restarts machines on the new secrets version", async () => {
    const name = `secrets-${crypto.randomUUID().slice(0, 8)}`;
    const stub = appStub(env, name);
    const withSecrets = (values: Record<string, string>, digest: string) =>
      resolvedApp(name, { secrets: raw(values), secretsDigest: digest });
    await stub.desire(notice(withSecrets({ API_KEY: "k-1", DATABASE_URL: "postgres://one" }, "d1"), "k1"));
    expect(await settle(stub)).toMatchObject({ status: "synced" });
    await client().setSecrets(name, { HAND_SET: "by hand" });
    expect((await flySecrets(name)).names).toEqual(["API_KEY", "DATABASE_URL", "HAND_SET"]);

    const from = (await sim.requests(name)).length;
    await stub.desire(notice(withSecrets({ DATABASE_URL: "postgres://one" }, "d2"), "k2"));
    const second = await settle(stub);
    expect(second).toMatchObject({ status: "synced", lastDeploy: { outcome: "succeeded", release: 2 } });
    expect((await stub.deploy(second!.lastDeploy!.id))?.planSummary).toMatchObject({
      "unset-secrets": 1,
      "machines.update": 1,
    });
    const after = await flySecrets(name);
    expect(after.names).toEqual(["DATABASE_URL", "HAND_SET"]);
    const log = (await sim.requests(name)).slice(from);
    expect(log.filter((r) => r.operation === "Secret_delete").map((r) => r.path)).toEqual([
      `/v1/apps/${name}/secrets/API_KEY`,
    ]);
    // The machine restarted after the unset, asking for the secrets version it produced.
    const update = log.findLast((r) => r.operation === "Machines_update");
    expect(update?.body).toMatchObject({ min_secrets_version: after.version });
    const deleted = log.findIndex((r) => r.operation === "Secret_delete");
    expect(log.indexOf(update!)).toBeGreaterThan(deleted);

    // No secrets left in the config: Tower's last name goes, the hand-set one stays.
    await stub.desire(notice(withSecrets({}, "d3"), "k3"));
    expect(await settle(stub)).toMatchObject({ status: "synced", lastDeploy: { release: 3 } });
    expect((await flySecrets(name)).names).toEqual(["HAND_SET"]);
    const all = await sim.requests(name);
    expect(all.filter((r) => r.operation === "Secret_delete" && r.path.endsWith("/HAND_SET"))).toEqual([]);
    expect(await sim.leaseOverlaps(name)).toBe(0);
  });
});
