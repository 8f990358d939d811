/**
 * Thirty pull requests opened at once (issue 20): every preview app ends started at its pull
 * request's head, Fly's rate limits (the simulator's, test/fly-sim/rate-limit.ts, and 429s with
 * Retry-After injected as a busy organisation gets them) are never pushed past a 429 before its
 * Retry-After, nothing is lost, and no ProjectDO pass spends more
 * subrequests than one Workers invocation may make.
 */
import { env } from "cloudflare:test";
import { describe, expect, inject, it } from "vitest";
import { SUBREQUEST_BUDGET } from "../../../src/durable/project/project-core";
import { flySimControl } from "../../fly-sim/control";
import type { LoggedRequest } from "../../fly-sim/request-log";
import { appStub } from "../do-stubs";
import { deploysSettled, eventsAfter, gitAppDeployed, lastSeq, settle, uniqueSuffix } from "./given";
import { PREVIEWS, pullRequest } from "./pull-requests";

const fly = () => flySimControl(inject("flyUrl"));
const COUNT = 30;

/** 429s answered to `ours`, each with the gap until the same request was sent again (null: never). */
function retriesAfter429(ours: LoggedRequest[]): { request: string; gapMs: number | null }[] {
  const same = (a: LoggedRequest, b: LoggedRequest) =>
    a.method === b.method && a.path === b.path && JSON.stringify(a.body) === JSON.stringify(b.body);
  return ours.flatMap((r, i) => {
    if (r.status !== 429) return [];
    const next = ours.slice(i + 1).find((later) => same(later, r));
    return [{ request: `${r.method} ${r.path}`, gapMs: next ? next.at - r.at : null }];
  });
}

describe("preview apps at scale", () => {
  it(`${COUNT} pull requests opened at once all end started, within Fly's rate limits, nothing lost`, async () => {
    const s = uniqueSuffix();
    const name = `burst-${s}`;
    const { api, c1, stub } = await gitAppDeployed(name, `${PREVIEWS}  max: 30\n`);

    const numbers = Array.from({ length: COUNT }, (_, i) => i + 1);
    const heads = new Map<number, string>();
    for (const n of numbers) {
      const head = await api.commit({ Dockerfile: `FROM nginx:1.${n}\n` }, { branch: `pr-${n}`, parent: c1 });
      await api.setRef(`refs/pull/${n}/head`, head);
      heads.set(n, head);
    }
    const pulls = await Promise.all(numbers.map((n) => pullRequest(api, "opened", n)));
    const previews = numbers.map((n) => `${name}-pr-${n}`);
    // Fly's limiter is per organisation too: a busy one answers 429 with Retry-After, here to six previews' first machine.
    const THROTTLED = 6;
    for (const preview of previews.slice(0, THROTTLED))
      await fly().addFaultRule({ operation: "Machines_create", app: preview, status: 429, retryAfterS: 2, times: 1 });
    const seq = await lastSeq(stub);
    const since = Date.now();

    // All thirty deliveries land together, as a burst of webhooks would.
    await Promise.all(pulls.map((pull) => stub.recordPullRequest(pull)));
    await settle(stub);
    await deploysSettled(previews, 150_000);
    const tookMs = Date.now() - since;

    for (const n of numbers) {
      const preview = `${name}-pr-${n}`;
      expect(await appStub(env, preview).summary()).toMatchObject({
        status: "synced",
        deployed: { sourceCommit: heads.get(n) },
      });
    }
    const machines = (await fly().state()).machines.filter((m) => previews.includes(m.app));
    expect(
      machines
        .filter((m) => m.state === "started")
        .map((m) => m.app)
        .sort(),
    ).toEqual([...previews].sort());

    // Nothing lost: every delivery was routed to exactly one preview, none ignored, none left waiting.
    const events = await eventsAfter(stub, seq);
    const count = (type: string) => events.filter((e) => e.type === type).length;
    expect([count("pull.received"), count("pull.routed"), count("preview.desired"), count("pull.ignored")]).toEqual([
      COUNT,
      COUNT,
      COUNT,
      0,
    ]);
    expect(
      (await stub.listApps())
        .filter((a) => a.preview)
        .map((a) => a.name)
        .sort(),
    ).toEqual([...previews].sort());
    const backlog = await stub.backlog();
    expect(backlog.inbox).toBe(0);
    expect(backlog.maxPassSubrequests).toBeLessThanOrEqual(SUBREQUEST_BUDGET);

    // Fly's limits: every 429 Tower got was waited out (Retry-After is whole seconds, at least 1) before the
    // same request went again; a request the limiter let through is within the limit by construction.
    const ours = (await fly().requests()).filter(
      (r) =>
        r.at >= since &&
        ((r.app !== undefined && previews.includes(r.app)) ||
          (r.operation === "Apps_create" && previews.includes((r.body as { name?: string } | null)?.name ?? ""))),
    );
    const retried = retriesAfter429(ours);
    expect(retried.length).toBeGreaterThanOrEqual(THROTTLED);
    for (const retry of retried) expect(retry.gapMs, retry.request).toBeGreaterThanOrEqual(1000);
    const throttled = retried.filter((r) => r.request.includes("/machines") && r.request.startsWith("POST"));
    for (const retry of throttled) expect(retry.gapMs, retry.request).toBeGreaterThanOrEqual(2000);
    console.log(
      `previews burst: ${COUNT} started in ${tookMs} ms; ${ours.length} Fly requests, ${retried.length} answered 429; ` +
        `most subrequests in one ProjectDO pass: ${backlog.maxPassSubrequests}`,
    );
  }, 200_000);
});
