import { describe, expect, it } from "vitest";
import { parseGitCredentials, parseTrailers, updateBranch, writeBack } from "../../../src/git";
import { createRepo } from "../../support/fixture-repo";
import { gitFailure, gitUrl } from "./helpers";

const APP = "# the api\napp: api # keep this comment\nsource:\n  type: image\n  image: ghcr.io/acme/api:1.0.0\n";

describe("writeBack", () => {
  it("commits a change on the branch tip with Tower's identity and trailers; other files keep their objects", async () => {
    const repo = await createRepo(gitUrl(), "wb");
    const base = await repo.commit({
      "apps/api/app.yaml": APP,
      "apps/web/app.yaml": "app: web\n",
      "README.md": "hi\n",
    });
    const result = await writeBack(repo.url, { branch: "main", now: () => 1_800_000_000_000 }, async (tip) => {
      const text = await tip.readFile("apps/api/app.yaml");
      return {
        kind: "commit",
        changes: { "apps/api/app.yaml": text?.replace("1.0.0", "1.1.0") ?? null, "apps/api/NOTES": "new file\n" },
        message: {
          subject: "image: api 1.0.0 → 1.1.0",
          trailers: [
            ["Tower-Image-Policy", "api semver ^1"],
            ["Tower-Previous", "ghcr.io/acme/api:1.0.0"],
          ],
        },
      };
    });
    expect(result).toMatchObject({ kind: "pushed", parent: base, attempts: 1 });
    if (result.kind !== "pushed") return;
    expect((await repo.refs())["refs/heads/main"]).toBe(result.commit);
    const raw = await repo.cat(result.commit);
    expect(raw).toContain(`parent ${base}`);
    expect(raw).toMatch(/author Tower <tower@users\.noreply\.tower\.invalid> 1800000000 \+0000/);
    expect(raw).toContain("committer Tower");
    expect(parseTrailers(raw.slice(raw.indexOf("\n\n") + 2))).toEqual([
      ["Tower-Image-Policy", "api semver ^1"],
      ["Tower-Previous", "ghcr.io/acme/api:1.0.0"],
    ]);
    expect(await repo.cat(`main:apps/api/app.yaml`)).toBe(APP.replace("1.0.0", "1.1.0"));
    expect(await repo.cat(`main:apps/api/NOTES`)).toBe("new file\n");
    expect(await repo.cat(`main:apps/web/app.yaml`)).toBe("app: web\n");
    // Unchanged folders keep their tree ids: only the path to the edit was rewritten.
    expect(await repo.cat(`main:apps/web`)).toBe(await repo.cat(`${base}:apps/web`));
    expect(await repo.fsck()).toBe("");
  });

  it("loses a push race, re-reads the new tip and commits on top of it", async () => {
    const repo = await createRepo(gitUrl(), "wb-race");
    await repo.commit({ "app.yaml": APP, "other.txt": "1\n" });
    let raced: string | undefined;
    const tips: string[] = [];
    const result = await writeBack(repo.url, { branch: "main" }, async (tip) => {
      tips.push(tip.commit);
      // Someone else pushes between Tower's fetch and Tower's push, once.
      raced ??= await repo.commit({ "other.txt": "2\n" }, { message: "a human's commit" });
      const text = (await tip.readFile("app.yaml")) ?? "";
      return { kind: "commit", changes: { "app.yaml": text.replace("1.0.0", "1.2.0") }, message: { subject: "bump" } };
    });
    expect(result).toMatchObject({ kind: "pushed", parent: raced, attempts: 2 });
    expect(tips[1]).toBe(raced);
    // Both changes are there: nothing of the human's commit was lost.
    expect(await repo.cat("main:other.txt")).toBe("2\n");
    expect(await repo.cat("main:app.yaml")).toContain("ghcr.io/acme/api:1.2.0");
  });

  it("gives up after the bounded number of attempts when every push loses, leaving the branch to the others", async () => {
    const repo = await createRepo(gitUrl(), "wb-races");
    await repo.commit({ "app.yaml": APP });
    let last = "";
    let calls = 0;
    const err = await gitFailure(
      writeBack(repo.url, { branch: "main", maxAttempts: 2 }, async () => {
        calls++;
        last = await repo.commit({ [`n${calls}.txt`]: "x" });
        return { kind: "commit", changes: { "app.yaml": "app: api\n" }, message: { subject: "bump" } };
      }),
    );
    expect(err.code).toBe("push_race");
    expect(calls).toBe(2);
    expect((await repo.refs())["refs/heads/main"]).toBe(last);
  });

  it("a conflict the caller cannot resolve pushes nothing; an unchanged tree makes no commit", async () => {
    const repo = await createRepo(gitUrl(), "wb-conflict");
    const head = await repo.commit({ "app.yaml": APP });
    const conflict = await writeBack(repo.url, { branch: "main" }, () => ({ kind: "conflict", reason: "line moved" }));
    expect(conflict).toEqual({ kind: "conflict", tip: head, reason: "line moved", attempts: 1 });
    const same = await writeBack(repo.url, { branch: "main" }, () => ({
      kind: "commit",
      changes: { "app.yaml": APP },
      message: { subject: "nothing" },
    }));
    expect(same).toEqual({ kind: "unchanged", tip: head, attempts: 1 });
    expect((await repo.refs())["refs/heads/main"]).toBe(head);
  });

  it("a server that refuses the push is an error, not a retry; a read-only server too", async () => {
    const hooked = await createRepo(gitUrl(), "wb-hook", { rejectPushes: "protected branch" });
    const head = await hooked.commit({ "app.yaml": APP });
    const commit = () => ({ kind: "commit" as const, changes: { "app.yaml": "app: x\n" }, message: { subject: "x" } });
    const refused = await gitFailure(writeBack(hooked.url, { branch: "main" }, commit));
    expect(refused.code).toBe("push_rejected");
    expect((await hooked.refs())["refs/heads/main"]).toBe(head);

    const readOnly = await createRepo(gitUrl(), "wb-ro", { readOnly: true });
    await readOnly.commit({ "app.yaml": APP });
    const denied = await gitFailure(writeBack(readOnly.url, { branch: "main" }, commit));
    expect(denied.code).toBe("auth_refused");
  });

  it("pushes to a private repo with the host's token, and refuses to send it over plain http elsewhere", async () => {
    const repo = await createRepo(gitUrl(), "wb-private", { token: "s3cret" });
    await repo.commit({ "app.yaml": APP });
    const host = new URL(gitUrl()).host;
    const credentials = parseGitCredentials(JSON.stringify({ [host]: "s3cret" }));
    const change = () => ({ kind: "commit" as const, changes: { "app.yaml": "app: y\n" }, message: { subject: "y" } });
    const ok = await writeBack(repo.url, { branch: "main", credentials }, change);
    expect(ok.kind).toBe("pushed");
    const anonymous = await gitFailure(writeBack(repo.url, { branch: "main" }, change));
    expect(anonymous.code).toBe("auth_refused");

    const remote = parseGitCredentials(JSON.stringify({ "git.example.com": "s3cret" }));
    const insecure = await gitFailure(
      writeBack("http://git.example.com/o/r.git", { branch: "main", credentials: remote }, change),
    );
    expect(insecure.code).toBe("insecure");
    expect(JSON.stringify(insecure)).not.toContain("s3cret");
  });

  it("builds on one branch and pushes to another (an auto branch), then moves a branch compare-and-swap", async () => {
    const repo = await createRepo(gitUrl(), "wb-auto");
    const main = await repo.commit({ "app.yaml": APP });
    const change = () => ({
      kind: "commit" as const,
      changes: { "app.yaml": APP.replace("1.0.0", "2.0.0") },
      message: { subject: "announce" },
    });
    const first = await writeBack(repo.url, { branch: "auto", base: "main" }, change);
    expect(first).toMatchObject({ kind: "pushed", parent: main });
    if (first.kind !== "pushed") return;
    expect((await repo.refs())["refs/heads/auto"]).toBe(first.commit);
    expect((await repo.refs())["refs/heads/main"]).toBe(main);

    // main moved on: the next auto commit is rebuilt on main's new tip and replaces auto.
    const main2 = await repo.commit({ "other.txt": "x" });
    const second = await writeBack(repo.url, { branch: "auto", base: "main" }, change);
    expect(second).toMatchObject({ kind: "pushed", parent: main2 });
    if (second.kind !== "pushed") return;

    expect(await updateBranch(repo.url, { branch: "main", old: main, new: second.commit })).toBe(false);
    expect(await updateBranch(repo.url, { branch: "main", old: main2, new: second.commit })).toBe(true);
    expect((await repo.refs())["refs/heads/main"]).toBe(second.commit);
    expect(await repo.fsck()).toBe("");
  });
});
