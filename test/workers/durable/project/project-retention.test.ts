// Issues 13 §6 and 16: a ProjectDO's log (pushes with their delivery ids, evaluations) is
// snapshotted and compacted like an AppDO's: events older than RETENTION_DAYS (default 90) that a
// snapshot covers go, a bounded slice per alarm. The delivery ids of webhook dedup are those
// events' keys, so this is the dedup store's bound. Would fail on the old code: the ProjectDO had
// no snapshots and never removed anything (the first seq stayed 1, an old delivery id was a
// duplicate forever).
import { abortAllDurableObjects, env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, inject, it } from "vitest";
import type { PushReceived, StoredEvent } from "../../../../src/durable/contract";
import type { ProjectDO } from "../../../../src/durable/project-do";
import { createRepo } from "../../../support/fixture-repo";

const DAY = 86_400_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY).toISOString();
const UNWATCHED = "github.com/acme/elsewhere";

function push(deliveryId: string, receivedAt: string): PushReceived {
  const after = "a".repeat(40);
  return {
    provider: "github",
    deliveryId,
    repo: UNWATCHED,
    ref: "refs/heads/main",
    before: "0".repeat(40),
    after,
    deleted: false,
    receivedAt,
  };
}

describe("ProjectDO retention", () => {
  it(
    "drops pushes older than the window with their delivery ids, keeps the state, and a replay is only a doorbell",
    { timeout: 60_000 },
    async () => {
      const name = `retain-${crypto.randomUUID()}`;
      const stubFor = () => env.PROJECT.get(env.PROJECT.idFromName(name));
      const stub = stubFor();
      const repo = await createRepo(inject("gitUrl"), "retention");
      await repo.commit({ "project.yaml": "project: root\n" });
      await stub.configure({ repo: repo.url });
      // 300 pushes received and routed 200 days ago: 600 events, snapshots at 200, 400 and 600.
      const old = daysAgo(200);
      const config = { repo: "github.com/acme/config", ref: "refs/heads/main" };
      for (let i = 1; i <= 300; i++) {
        const received = push(`old-${i}`, old);
        await stub.testHook({ apply: { type: "record-push", push: received, at: old } });
        await stub.testHook({ apply: { type: "route-push", push: received, config, refs: {}, at: old } });
      }
      expect(((await stub.events(0, 1)) as unknown as StoredEvent[])[0]?.seq).toBe(1);

      // Today's tick evaluates config, then retention drops the covered old prefix.
      await stub.tick(new Date().toISOString());
      const kept = (await stub.events(0, 1000)) as unknown as StoredEvent[];
      expect(kept[0]?.seq).toBe(601);
      expect(kept.map((e) => e.type)).toEqual(["config.fetched", "config.evaluated"]);
      const status = await stub.configStatus();
      expect(status.lastEvaluation).toMatchObject({ ok: true, commit: status.commit });

      // A delivery inside the window is still a duplicate; one past it is recorded afresh and routed
      // like any push (ignored here: the repo is unwatched), deploying nothing it would not anyway.
      const recent = push("recent-1", new Date().toISOString());
      expect(await stub.recordPush(recent)).toMatchObject({ duplicate: false });
      expect(await stub.recordPush(recent)).toMatchObject({ duplicate: true });
      expect(await stub.recordPush(push("old-5", new Date().toISOString()))).toMatchObject({ duplicate: false });
      await runDurableObjectAlarm(stub);
      // (The alarms of the two records may route each before the next arrives: order varies.)
      const tail = ((await stub.events(602, 100)) as unknown as StoredEvent[]).map((e) => `${e.type} ${e.key}`);
      expect(tail.sort()).toEqual([
        "push.ignored push-ignored:old-5",
        "push.ignored push-ignored:recent-1",
        "push.received push:old-5",
        "push.received push:recent-1",
      ]);

      // An eviction: the object wakes from its snapshot and the tail, to the same state.
      const stateOf = (s: ReturnType<typeof stubFor>) =>
        runInDurableObject(s as unknown as DurableObjectStub<ProjectDO>, (instance) =>
          JSON.stringify((instance as unknown as { core: { state: unknown } }).core.state),
        );
      const before = await stateOf(stub);
      await abortAllDurableObjects();
      const again = stubFor();
      expect(JSON.parse(await stateOf(again))).toEqual(JSON.parse(before));
      expect(await again.configStatus()).toEqual(status);
      expect((await again.backlog()).inbox).toBe(0);
    },
  );

  it("keeps an all-recent log whole", { timeout: 30_000 }, async () => {
    const stub = env.PROJECT.get(env.PROJECT.idFromName(`recent-${crypto.randomUUID()}`));
    const repo = await createRepo(inject("gitUrl"), "recent");
    await repo.commit({ "project.yaml": "project: root\n" });
    await stub.configure({ repo: repo.url });
    const yesterday = daysAgo(1);
    for (let i = 1; i <= 250; i++)
      await stub.testHook({ apply: { type: "record-push", push: push(`y-${i}`, yesterday), at: yesterday } });
    await stub.tick(new Date().toISOString());
    expect(((await stub.events(0, 1)) as unknown as StoredEvent[])[0]?.seq).toBe(1);
    expect(await stub.recordPush(push("y-7", new Date().toISOString()))).toMatchObject({ duplicate: true });
  });
});
