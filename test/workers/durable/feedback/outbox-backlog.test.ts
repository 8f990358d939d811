/**
 * The feedback outbox's waiting rows are bounded per lane (issue 13 §6): a git host that answers
 * 5xx forever holds its lane while every push adds rows; past MAX_WAITING_PER_LANE the oldest
 * waiting rows are dropped, saying why, and other lanes are untouched. Real DO SQLite storage.
 */
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { FeedbackOutbox, MAX_WAITING_PER_LANE, type OutboxEntry } from "../../../../src/durable/feedback/outbox-table";
import { appStub } from "../../do-stubs";

const to = { type: "github" as const, host: "github.com", api: "https://api.github.com", path: "team/app" };

function status(lane: string, n: number): OutboxEntry {
  const delivery = {
    kind: "commit-status" as const,
    to,
    sha: n.toString(16).padStart(40, "0"),
    context: "tower/web",
    state: "pending" as const,
    description: `deploy ${n}`,
  };
  return { key: `fb:d${n}:status:pending:${lane}`, lane, delivery };
}

describe("feedback outbox backlog", () => {
  it("keeps at most MAX_WAITING_PER_LANE rows waiting in a lane, dropping the oldest, other lanes untouched", async () => {
    const stub = appStub(env, `outbox-${crypto.randomUUID().slice(0, 8)}`);
    const rows = await runInDurableObject(stub, (_, state) => {
      const outbox = new FeedbackOutbox(state.storage);
      outbox.migrate();
      const total = MAX_WAITING_PER_LANE + 50;
      // One push at a time, as deploys enqueue them; the other lane gets a few.
      for (let n = 1; n <= total; n++) outbox.enqueue([status("team/app", n)], n);
      outbox.enqueue([status("team/other", 1), status("team/other", 2)], 1);
      // A row enqueued again (same key) adds nothing and drops nothing.
      expect(outbox.enqueue([status("team/app", total)], total + 1)).toBe(0);
      return outbox.all();
    });
    const lane = rows.filter((row) => row.lane === "team/app");
    const waiting = lane.filter((row) => row.state === "waiting");
    expect(waiting).toHaveLength(MAX_WAITING_PER_LANE);
    // The newest are the ones kept, in order.
    expect(waiting[0]!.key).toBe("fb:d51:status:pending:team/app");
    expect(waiting.at(-1)!.key).toBe(`fb:d${MAX_WAITING_PER_LANE + 50}:status:pending:team/app`);
    const dropped = lane.filter((row) => row.state === "dropped");
    expect(dropped).toHaveLength(50);
    expect(dropped[0]!.error).toBe(
      `dropped unsent: more than ${MAX_WAITING_PER_LANE} deliveries waited in this lane (newer ones kept)`,
    );
    expect(rows.filter((row) => row.lane === "team/other" && row.state === "waiting")).toHaveLength(2);
  });
});
