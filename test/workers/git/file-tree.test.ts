import { describe, expect, it } from "vitest";
import { fetchCommit } from "../../../src/git";
import { createRepo } from "../../support/fixture-repo";
import { gitUrl } from "./helpers";

describe("GitSnapshot.fileTree", () => {
  it("is the FileTree config evaluates, rooted anywhere in the commit", async () => {
    const repo = await createRepo(gitUrl(), "file-tree");
    await repo.commit({
      "project.yaml": "name: p\n",
      "apps/web/app.yaml": "app: web\n",
      "apps/web/Dockerfile": "FROM scratch\n",
      "apps/api/app.yaml": "app: api\n",
    });
    const snap = await fetchCommit(repo.url, { ref: "main" });

    const root = snap.fileTree();
    expect(root.label).toBe(`${new URL(repo.url).hostname}/${repo.name}@${snap.commit.slice(0, 12)}`);
    expect(sorted(await root.list(""))).toEqual([
      { name: "apps", kind: "dir" },
      { name: "project.yaml", kind: "file" },
    ]);
    expect(sorted(await root.list("apps"))).toEqual([
      { name: "api", kind: "dir" },
      { name: "web", kind: "dir" },
    ]);
    expect(await root.list("apps/nope")).toBeUndefined();
    expect(await root.list("project.yaml")).toBeUndefined();
    expect(await root.read("apps/api/app.yaml")).toBe("app: api\n");

    const web = snap.fileTree("apps/web/");
    expect(web.label).toContain(":apps/web");
    expect(sorted(await web.list(""))).toEqual([
      { name: "app.yaml", kind: "file" },
      { name: "Dockerfile", kind: "file" },
    ]);
    expect(await web.read("app.yaml")).toBe("app: web\n");
    expect(await web.read("../api/app.yaml")).toBeUndefined();
    expect(await web.treeId?.("")).toBe(await snap.treeId("apps/web"));
  });
});

function sorted<T extends { name: string }>(entries: T[] | undefined): T[] | undefined {
  return entries?.slice().sort((a, b) => a.name.localeCompare(b.name));
}
