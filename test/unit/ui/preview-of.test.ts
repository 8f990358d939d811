import { describe, expect, it } from "vitest";
import type { AppSummary } from "../../../src/durable/contract";
import { PreviewOf } from "../../../src/worker/ui/pages/apps-page";

const none = { configHash: null, sourceCommit: null };
const summary: AppSummary = {
  name: "web-pr-7",
  org: "personal",
  status: "synced",
  desired: none,
  deployed: none,
  lastDeploy: null,
  failure: null,
  pin: null,
};

describe("a preview on the dashboard", () => {
  it("names the app it previews, the pull request and links the preview; other apps show nothing", async () => {
    const html = String(
      await PreviewOf({ app: { ...summary, preview: { app: "web", number: 7, head: "a".repeat(40) } } }),
    );
    expect(html).toContain('preview of <a href="/apps/web">web</a> #7');
    expect(html).toContain('<a href="https://web-pr-7.fly.dev" rel="noopener noreferrer">web-pr-7.fly.dev</a>');
    expect(PreviewOf({ app: summary })).toBeNull();
  });
});
