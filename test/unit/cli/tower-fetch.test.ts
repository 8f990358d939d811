import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, inject, it } from "vitest";
import { createRepo } from "../../support/fixture-repo";

const root = new URL("../../../", import.meta.url).pathname;

describe("tower validate --fetch", { timeout: 30_000 }, () => {
  it("fetches a git-sourced nested project from a real git server and evaluates its apps", async () => {
    const repo = await createRepo(inject("gitUrl"), "remote-project");
    await repo.commit({
      "deploy/api/app.yaml": "app: fetched-api\nprimary_region: ams\nsource:\n  type: local\n",
      "deploy/api/Dockerfile": "FROM alpine\n",
    });
    const dir = mkdtempSync(join(tmpdir(), "tower-fetch-"));
    mkdirSync(join(dir, "remote"));
    writeFileSync(join(dir, "project.yaml"), "project: local-root\n");
    writeFileSync(
      join(dir, "remote/project.yaml"),
      `project: remote\nsource:\n  type: git\n  repo: ${repo.url}\n  ref: {branch: main}\n  path: deploy\n`,
    );
    const run = (...flags: string[]) =>
      spawnSync(process.execPath, [join(root, "bin/tower.mjs"), "validate", dir, "--json", ...flags], {
        encoding: "utf8",
        timeout: 20_000,
      });

    const listed = JSON.parse(run().stdout);
    expect(listed.apps).toEqual([]);
    expect(listed.projects.find((p: { name: string }) => p.name === "remote")).toMatchObject({ fetched: false });

    const fetched = run("--fetch");
    expect(fetched.stderr).toBe("");
    const doc = JSON.parse(fetched.stdout);
    expect(doc.ok).toBe(true);
    expect(
      doc.apps.map((a: { name: string; source: { type: string; path: string } }) => [
        a.name,
        a.source.type,
        a.source.path,
      ]),
    ).toEqual([["fetched-api", "git", "deploy/api"]]);
  });
});
