import { describe, expect, it } from "vitest";
import { evaluateTree, formatDiagnostic, memoryFileTree } from "../../../src/config";

const evaluate = (files: Record<string, string>) =>
  evaluateTree(memoryFileTree(files), { secrets: () => undefined, defaultOrg: "acme" });

describe("source.repo: a repo key means the repo that is fetched", () => {
  it("refuses a backslash URL in an app's source with the file, line and column", async () => {
    const app = [
      "app: web",
      "primary_region: ams",
      "source:",
      "  type: git",
      "  repo: https://evil.example\\@github.com/acme/web",
      "",
    ].join("\n");
    const ev = await evaluate({ "web/app.yaml": app });
    expect(ev.apps).toEqual([]);
    expect(ev.errors.map(formatDiagnostic)).toEqual([
      expect.stringMatching(/^web\/app\.yaml:5:9: error: source\.repo: .*backslash/),
    ]);
  });

  it("refuses credentials in an app's source URL and points to GIT_CREDENTIALS", async () => {
    const app =
      "app: web\nprimary_region: ams\nsource:\n  type: git\n  repo: https://x:ghp_s3cr3t@github.com/acme/web\n";
    const ev = await evaluate({ "web/app.yaml": app });
    const shown = ev.errors.map(formatDiagnostic);
    expect(shown).toEqual([expect.stringMatching(/^web\/app\.yaml:5:9: error: source\.repo: .*GIT_CREDENTIALS/)]);
    expect(JSON.stringify(ev.errors)).not.toContain("ghp_s3cr3t");
  });

  it("refuses a bad nested project source with its place", async () => {
    const project = "project: root\n";
    const nested = "project: other\nsource:\n  type: git\n  repo: https://github.com/acme/%2e%2e/evil\n";
    const ev = await evaluate({ "project.yaml": project, "other/project.yaml": nested });
    expect(ev.errors.map(formatDiagnostic)).toEqual([
      expect.stringMatching(/^other\/project\.yaml:4:9: error: source\.repo: .*percent/),
    ]);
  });

  it("keys GitHub repos case-insensitively, whatever spelling the file uses", async () => {
    const app = "app: web\nprimary_region: ams\nsource:\n  type: git\n  repo: git@GitHub.com:Acme/Web.git\n";
    const ev = await evaluate({ "web/app.yaml": app });
    expect(ev.errors).toEqual([]);
    expect(ev.apps[0]?.source).toMatchObject({ type: "git", repo: "github.com/acme/web" });
  });
});
