import { describe, expect, it } from "vitest";
import { evaluateTree, memoryFileTree } from "../../../../src/config";
import type { DesiredNotice } from "../../../../src/durable/contract";
import { deliverPreviews, PREVIEWS_AT_ONCE } from "../../../../src/durable/project/preview-delivery";
import { writeResolved, writeSummary } from "../../../../src/durable/project/project-rows";
import type { LivePreview } from "../../../../src/durable/project/state";
import { AT, sha } from "./given";

/** The two state-row calls delivery makes, over a Map (the DO's table in production). */
function rows() {
  const table = new Map<string, unknown>();
  return {
    getState: <T>(name: string) => (table.get(name) ?? null) as T | null,
    putState: (name: string, value: unknown) => void table.set(name, value),
  };
}

const APP_YAML =
  "app: web\nprimary_region: arn\nsource:\n  type: git\n  repo: https://github.com/acme/web\n  ref:\n    branch: main\n" +
  "previews:\n  enabled: true\n";

function preview(n: number): LivePreview {
  const at = new Date(Date.parse(AT) + n * 1000).toISOString();
  return {
    app: `web-pr-${n}`,
    of: "web",
    repo: "github.com/acme/web",
    number: n,
    head: sha(String(n % 10)),
    ttlHours: 168,
    at,
    cause: `pull:d${n}`,
  };
}

describe("telling preview apps, a few at a time", () => {
  it(`keeps ${PREVIEWS_AT_ONCE} preview deploys under way, lets the next go when one reports settled, and stays within the budget`, async () => {
    const store = rows();
    const evaluation = await evaluateTree(memoryFileTree({ "app.yaml": APP_YAML }), {
      secrets: () => undefined,
      defaultOrg: "personal",
    });
    writeResolved(store, evaluation.apps[0]!);
    const told: DesiredNotice[] = [];
    const ports = { desire: async (notice: DesiredNotice) => void told.push(notice) };
    const previews = Array.from({ length: 12 }, (_, i) => preview(i + 1));

    expect(await deliverPreviews(store, ports, previews, 40, AT)).toBe("slots");
    expect(told.map((n) => n.app.name)).toEqual(previews.slice(0, PREVIEWS_AT_ONCE).map((p) => p.app));
    expect(told[0]).toMatchObject({ sourceCommit: previews[0]!.head, cause: "pull:d1" });
    // Nothing settled yet: nothing more goes.
    expect(await deliverPreviews(store, ports, previews, 40, AT)).toBe("slots");
    expect(told).toHaveLength(PREVIEWS_AT_ONCE);

    // Two report synced at the head they were told: two more go, oldest wish first.
    for (const p of previews.slice(0, 2)) {
      const summary = {
        name: p.app,
        org: "personal",
        status: "synced" as const,
        desired: { configHash: "h", sourceCommit: p.head },
      };
      writeSummary(store, {
        version: 1,
        summary: { ...summary, deployed: summary.desired, lastDeploy: null, failure: null, pin: null },
      });
    }
    expect(await deliverPreviews(store, ports, previews, 1, AT)).toBe("budget");
    expect(await deliverPreviews(store, ports, previews, 40, AT)).toBe("slots");
    expect(told.slice(PREVIEWS_AT_ONCE).map((n) => n.app.name)).toEqual(["web-pr-9", "web-pr-10"]);

    // A push to a preview that is still deploying needs no new slot.
    const moved = { ...previews[2]!, head: sha("f"), cause: "pull:again" };
    const next = [...previews.slice(0, 2), moved, ...previews.slice(3)];
    expect(await deliverPreviews(store, ports, next, 40, AT)).toBe("slots");
    expect(told.at(-1)).toMatchObject({ sourceCommit: sha("f"), cause: "pull:again" });

    // A told preview that never reported stops holding its slot after half an hour.
    const later = new Date(Date.parse(AT) + 31 * 60_000).toISOString();
    expect(await deliverPreviews(store, ports, next, 40, later)).toBeNull();
    expect(told.map((n) => n.app.name).slice(-2)).toEqual(["web-pr-11", "web-pr-12"]);
  });
});
