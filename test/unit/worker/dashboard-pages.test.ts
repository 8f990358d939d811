/** The dashboard's pages as HTML: any status gets a badge, hostile text is escaped, filters work. */
import { describe, expect, it } from "vitest";
import type { AppSummary, ConfigStatus } from "../../../src/durable/contract";
import { readAppListQuery, selectApps } from "../../../src/worker/ui/app-list-query";
import { badgeClass } from "../../../src/worker/ui/components/badge";
import { shortImage } from "../../../src/worker/ui/components/refs";
import { AppsPage } from "../../../src/worker/ui/pages/apps-page";

const at = "2026-11-29T12:00:00.000Z";
/** `status` is any string: the page must show statuses a newer Tower adds, unknown to this build. */
const app = (name: string, status: string, startedAt = at): AppSummary =>
  ({
    name,
    org: "personal",
    status,
    desired: { configHash: "sha256:a", sourceCommit: null },
    deployed: { configHash: "sha256:a", sourceCommit: null },
    lastDeploy: {
      id: `d-${name}`,
      release: 1,
      outcome: "succeeded",
      cause: "push:x",
      configHash: "sha256:a",
      sourceCommit: null,
      startedAt,
      finishedAt: startedAt,
      image: "registry.fly.io/x@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
    },
  }) as unknown as AppSummary;

const config: ConfigStatus = {
  repo: "https://github.com/acme/fleet.git",
  ref: "main",
  path: ".",
  commit: "0123456789abcdef0123456789abcdef01234567",
  lastEvaluation: { at, commit: "0123456789abcdef0123456789abcdef01234567", ok: false, apps: 2 },
  errors: [{ file: "web/app.yaml", line: 3, col: 7, message: "<script>alert(1)</script> is not a region" }],
};

async function render(apps: AppSummary[], params: Record<string, string> = {}): Promise<string> {
  const query = readAppListQuery(params);
  const viewer = { access: "public" as const, session: null, csrf: null };
  const page = AppsPage({
    viewer,
    now: Date.parse(at) + 180_000,
    config,
    all: apps,
    shown: selectApps([...apps], query),
    query,
    tail: { lines: [], after: 0 },
  });
  return String(await page);
}

describe("apps page", () => {
  it("maps known statuses to their badge and any other to a neutral one", async () => {
    expect(badgeClass("degraded")).toBe("badge badge-degraded");
    expect(badgeClass("frozen")).toBe("badge badge-other");
    const html = await render([app("web", "synced"), app("api", "frozen")]);
    expect(html).toContain('<span class="badge badge-synced" data-status-of="web">synced</span>');
    expect(html).toContain('<span class="badge badge-other" data-status-of="api">frozen</span>');
    expect(html).toContain(">3 min ago</time>");
  });

  it("shows config problems with file:line:col, escaped, and links the commit on its host", async () => {
    const html = await render([app("web", "synced")]);
    expect(html).toContain("web/app.yaml:3:7");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt; is not a region");
    expect(html).not.toContain("<script>alert");
    expect(html).toContain('href="https://github.com/acme/fleet/commit/0123456789abcdef0123456789abcdef01234567"');
  });

  it("filters by name and status and sorts worst first", async () => {
    const apps = [app("b-web", "synced", "2026-11-29T11:00:00Z"), app("a-api", "failed"), app("c-job", "deploying")];
    const names = (params: Record<string, string>) =>
      selectApps([...apps], readAppListQuery(params)).map((a) => a.name);
    expect(names({})).toEqual(["a-api", "b-web", "c-job"]);
    expect(names({ sort: "status" })).toEqual(["a-api", "c-job", "b-web"]);
    expect(names({ sort: "recent" })).toEqual(["a-api", "c-job", "b-web"]);
    expect(names({ q: "WEB" })).toEqual(["b-web"]);
    expect(names({ status: "deploying" })).toEqual(["c-job"]);
    expect(names({ sort: "nonsense" })).toEqual(["a-api", "b-web", "c-job"]);
  });

  it("shortens image digests", () => {
    expect(
      shortImage("registry.fly.io/site@sha256:f13048faebbb4d9ffbab4a0732b60061290e0d0a47ab0e2a16a7450fc4152d78"),
    ).toBe("site@sha256:f13048faebbb");
    expect(shortImage("nginx:1.27-alpine")).toBe("nginx:1.27-alpine");
  });
});
