// Issue 16: an AppDO with a long history keeps a small folded state (snapshots + the deploy history
// table), and still pages every deploy. Would fail on the old code: there was no snapshot row, and
// a state trimmed to 20 deploys would page only 20.
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { AppLog } from "../../../../src/durable/app/app-log";
import { KEPT_DEPLOYS } from "../../../../src/durable/app/evolve";
import type { AppDO } from "../../../../src/durable/app-do";
import { EventStore } from "../../../../src/durable/event-store";
import { appStub } from "../../do-stubs";
import { allDeployIds } from "./fixtures";

describe("AppDO history at scale", () => {
  it(
    "snapshots its state, wakes from the snapshot to the same state, and pages all 60 deploys",
    { timeout: 60_000 },
    async () => {
      const name = `history-${crypto.randomUUID().slice(0, 8)}`;
      const stub = appStub(env, name);
      // Recent deploys: retention (app-retention.test.ts) leaves them whole, so a full replay is possible.
      const { version } = await stub.testHistory(name, 60, { from: new Date(Date.now() - 86_400_000).toISOString() });
      expect(version).toBe(60 * 11);

      const ids = await allDeployIds(stub, 25);
      expect(ids).toHaveLength(60);
      expect(ids[0]).toBe("seed-60");
      expect(ids.at(-1)).toBe("seed-1");
      expect(await stub.deploy("seed-1")).toMatchObject({ outcome: "succeeded", steps: expect.any(Array) });

      await runInDurableObject(stub as unknown as DurableObjectStub<AppDO>, (_instance, state) => {
        // The snapshot is one text, kept in parts beside a head row (EventStore.putText).
        const snapshot = new EventStore(state.storage).getText("snapshot/app");
        const saved = JSON.parse(snapshot ?? "null") as { version: number; state: { deploys: unknown[] } };
        expect(saved.version).toBeGreaterThanOrEqual(600);
        expect(saved.state.deploys.length).toBeLessThanOrEqual(KEPT_DEPLOYS);
        // A wake: a second log over the same storage folds the snapshot plus the events after it.
        const woken = new AppLog(state.storage);
        woken.load();
        const full = new AppLog(state.storage);
        full.store.putState("snapshot/app", null);
        const replayed = new AppLog(state.storage);
        replayed.load();
        expect(woken.state).toEqual(replayed.state);
        expect(woken.state.version).toBe(660);
        expect(woken.state.deploys.length).toBe(KEPT_DEPLOYS);
      });
    },
  );
});
