import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { appStub } from "../../do-stubs";
import { eventsOf, notice, resolvedApp, settle } from "./fixtures";

const unique = (prefix: string) => `${prefix}-${crypto.randomUUID().slice(0, 8)}`;

describe("AppDO without Fly work", () => {
  it("records a desired state once per key and serves it through the read API", async () => {
    const name = unique("once");
    const stub = appStub(env, name);
    const app = resolvedApp(name, {
      source: {
        type: "git",
        url: "https://example.com/o/r",
        repo: "example.com/o/r",
        ref: { branch: "main" },
        path: ".",
      },
    });
    expect(await stub.desire(notice(app, "k1", "c1"))).toEqual({ duplicate: false, changed: true });
    expect(await stub.desire(notice(app, "k1", "c1"))).toEqual({ duplicate: true, changed: false });
    expect(await stub.desire(notice(app, "k2", "c1"))).toEqual({ duplicate: false, changed: false });
    // The alarm may already have started (and failed: no build for a git source) the deploy.
    const events = (await eventsOf(stub)).filter((e) => e.type === "desired.changed");
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ seq: 1, v: 1, key: "k1", data: { configHash: "hash-1", sourceCommit: "c1" } });
    expect(await stub.summary()).toMatchObject({
      name,
      org: "personal",
      desired: { configHash: "hash-1", sourceCommit: "c1" },
    });
  });

  it("a source that needs a build is built on Fly and deployed by digest (inline Dockerfile)", async () => {
    const name = unique("build");
    const stub = appStub(env, name);
    const app = resolvedApp(name, { source: { type: "inline-dockerfile", dockerfile: "FROM scratch" } });
    await stub.desire(notice(app, "k1"));
    expect(await settle(stub)).toMatchObject({ status: "synced", deployed: { configHash: "hash-1" } });
    const page = await stub.deploys({ limit: 10 });
    const detail = await stub.deploy(page.items[0]!.id);
    expect(detail?.image).toMatch(new RegExp(`^registry\\.fly\\.io/${name}@sha256:[0-9a-f]{64}$`));
    const types = (await eventsOf(stub)).map((e) => e.type);
    expect(types.slice(0, 5)).toEqual([
      "desired.changed",
      "deploy.started",
      "app.created",
      "build.started",
      "build.finished",
    ]);
  });

  it("a secret missing from the Worker env fails at resolve-secrets, naming it and never a value", async () => {
    const name = unique("secrets");
    const stub = appStub(env, name);
    const app = resolvedApp(name, {
      secrets: [
        { name: "DATABASE_URL", from: "env", key: "APP_SECRET_MISSING_DB" },
        { name: "TOKEN", from: "raw", value: "raw-secret-value-123" },
      ],
    });
    await stub.desire(notice(app, "k1"));
    await settle(stub);
    const [deploy] = (await stub.deploys({ limit: 1 })).items;
    const detail = await stub.deploy(deploy!.id);
    expect(detail?.error).toBe(
      "resolve-secrets: secrets not set in the Worker env: DATABASE_URL (env APP_SECRET_MISSING_DB)",
    );
    const everything = JSON.stringify([await eventsOf(stub), detail, await stub.summary()]);
    expect(everything).not.toContain("raw-secret-value-123");
  });
});
