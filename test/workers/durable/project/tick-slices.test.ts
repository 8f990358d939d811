// Issue 16: a cron tick over more repos than one invocation may list goes on in the ProjectDO's
// next alarms, each under the Workers Free limit of 50 subrequests. The first tick, which learns
// every app, is sliced too: its evaluation's ref listings and the notices to the AppDOs go out in
// parts. Both tests fail on the old code: it listed every repo in the tick's one invocation (and
// kept no lastTick), then told all apps in one (93 subrequests for the first tick here).
import { env, runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, inject, it } from "vitest";
import { LISTINGS_PER_SLICE } from "../../../../src/durable/project/project-core";
import { normaliseRepoUrl } from "../../../../src/git/repo-url";
import { createRepo } from "../../../support/fixture-repo";
import { appStub } from "../../do-stubs";

type Stub = ReturnType<typeof env.PROJECT.get>;

/** Runs the project's alarms until the tick started at `at` has finished (its lastTick is written). */
async function finishTick(stub: Stub, at: string) {
  for (let i = 0; i < 400 && (await stub.configStatus()).lastTick?.at !== at; i++)
    if (!(await runDurableObjectAlarm(stub))) await new Promise((r) => setTimeout(r, 50));
  return (await stub.configStatus()).lastTick!;
}

/**
 * A ProjectDO over a config repo with `count` apps, each following its own app repo's main
 * (with `extra` appended to each app.yaml).
 */
async function projectOfRepos(prefix: string, count: number, extra = "") {
  const repos = await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const repo = await createRepo(inject("gitUrl"), `${prefix}-svc${i}`);
      await repo.commit({ Dockerfile: "FROM nginx\n" });
      return repo;
    }),
  );
  const config = await createRepo(inject("gitUrl"), `${prefix}-config`);
  const files: Record<string, string> = { "project.yaml": `project: ${prefix}\n` };
  repos.forEach((repo, i) => {
    files[`a${i}/app.yaml`] =
      `app: ${prefix}-${i}-${crypto.randomUUID().slice(0, 6)}\norg: personal\nprimary_region: arn\n` +
      `source:\n  type: git\n  repo: ${repo.url}\n  ref:\n    branch: main\n${extra}`;
  });
  await config.commit(files);
  const stub = env.PROJECT.get(env.PROJECT.idFromName(`${prefix}-${crypto.randomUUID()}`));
  await stub.configure({ repo: config.url, ref: "main" });
  return { stub, repos };
}

describe("ProjectDO cron tick at scale", () => {
  it(
    "spreads the first sync of 45 apps, and each tick's 46 ref listings, over invocations of at most 50 subrequests",
    { timeout: 90_000 },
    async () => {
      const { stub } = await projectOfRepos("slice", 45);
      // The first tick only knows the config repo; its evaluation learns the 45 app repos (listed
      // in parts) and tells 45 AppDOs (in parts): no invocation over 50 subrequests.
      await stub.tick("2026-01-01T00:00:00.000Z");
      const first = await finishTick(stub, "2026-01-01T00:00:00.000Z");
      expect((await stub.configStatus()).lastEvaluation?.apps).toBe(45);
      expect(first.slices).toBeGreaterThan(1);
      expect(first.maxSubrequests).toBeLessThanOrEqual(50);
      const summaries = await stub.listApps();
      expect(summaries).toHaveLength(45);
      // Every app learnt its source commit from the sliced listings, and every AppDO was told.
      expect(summaries.every((app) => app.desired.sourceCommit !== null)).toBe(true);
      const told = await Promise.all(summaries.map(async (app) => (await appStub(env, app.name).summary())?.desired));
      expect(told.map((desired) => desired?.sourceCommit ?? null)).toEqual(
        summaries.map((app) => app.desired.sourceCommit),
      );

      // The RPC lists one slice; the alarm it sets lists the rest (run here, if not already run).
      await stub.tick("2026-01-01T00:03:00.000Z");
      const tick = await finishTick(stub, "2026-01-01T00:03:00.000Z");
      expect(tick).toMatchObject({ repos: 46, slices: Math.ceil(46 / LISTINGS_PER_SLICE) });
      expect(tick.maxSubrequests).toBeLessThanOrEqual(50);
      expect(tick.maxSubrequests).toBe(LISTINGS_PER_SLICE);
    },
  );

  // Would fail on the old code: a tick's last invocation asked every self-healing app for a drift
  // check on top of its listings (16 + 55 = 71 subrequests here), and a pass listed every pushed
  // repo at once (55 + the config's).
  it(
    "spreads 55 self-heal drift checks and a burst of pushes to 55 repos over passes of at most 50 subrequests",
    { timeout: 120_000 },
    async () => {
      const { stub, repos } = await projectOfRepos("heal", 55, "sync:\n  self_heal: true\n");
      await stub.tick("2026-01-01T00:00:00.000Z");
      await finishTick(stub, "2026-01-01T00:00:00.000Z");
      expect((await stub.configStatus()).lastEvaluation?.apps).toBe(55);
      // A tick over 56 repos whose last invocation starts 55 drift checks.
      await stub.tick("2026-01-01T00:03:00.000Z");
      await finishTick(stub, "2026-01-01T00:03:00.000Z");
      await drain(stub);
      expect((await stub.backlog()).maxPassSubrequests).toBeLessThanOrEqual(50);

      // A push to each repo at once: routed over passes, none lost, each repo listed once.
      const commits = await Promise.all(repos.map((repo, i) => repo.commit({ "README.md": `v${i}\n` })));
      await Promise.all(
        repos.map((repo, i) =>
          stub.recordPush({
            provider: "github",
            deliveryId: `burst-${i}`,
            repo: normaliseRepoUrl(repo.url),
            ref: "refs/heads/main",
            before: "0".repeat(40),
            after: commits[i]!,
            deleted: false,
            receivedAt: new Date().toISOString(),
          }),
        ),
      );
      await drain(stub);
      expect((await stub.backlog()).inbox).toBe(0);
      // What the project holds for each app (its AppDO's own report may not be in yet).
      const names = (await stub.listApps()).map((app) => app.name);
      const known = await Promise.all(names.map((name) => stub.configuredApp(name)));
      expect(known.map((app) => app?.desired.sourceCommit).sort()).toEqual([...commits].sort());
      expect((await stub.backlog()).maxPassSubrequests).toBeLessThanOrEqual(50);
    },
  );
});

/** Runs the project's alarms until none is set (the work sliced over them is done). */
async function drain(stub: Stub) {
  for (let i = 0; i < 400; i++) {
    const { alarmAt, inbox } = await stub.backlog();
    if (alarmAt === null && inbox === 0) return;
    if (!(await runDurableObjectAlarm(stub))) await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("alarms still pending after 400 runs");
}
