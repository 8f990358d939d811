/**
 * Plumbing on bare repos for test fixtures: one `git fast-import` per commit, so a 5,000-file
 * commit takes one process, not thousands.
 */
import { execFile, spawn } from "node:child_process";
import { chmod, writeFile } from "node:fs/promises";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface CommitRequest {
  branch?: string;
  message?: string;
  /** path → content; `null` deletes the path. Content may be base64 with `{ base64 }`. */
  files: Record<string, string | { base64: string } | null>;
  /** Start from this commit instead of the branch's head (or make a root commit with "none"). */
  parent?: string;
}

export async function initRepo(
  dir: string,
  options: { readOnly?: boolean; rejectPushes?: string; raceFirstPush?: boolean } = {},
): Promise<void> {
  await run("git", ["init", "--bare", "--quiet", "--initial-branch=main", dir]);
  // Fetching a pinned commit by id needs this; protocol v2 is the server default in git ≥ 2.26.
  await run("git", ["-C", dir, "config", "uploadpack.allowAnySHA1InWant", "true"]);
  // Pushes over smart HTTP (Tower's write-back); http-backend refuses them unless enabled.
  await run("git", ["-C", dir, "config", "http.receivepack", options.readOnly ? "false" : "true"]);
  // What a protected branch or a policy hook does: refuse every push with a message.
  if (options.rejectPushes !== undefined) {
    const hook = `${dir}/hooks/pre-receive`;
    await writeFile(hook, `#!/bin/sh\necho ${JSON.stringify(options.rejectPushes)} >&2\nexit 1\n`);
    await chmod(hook, 0o755);
  }
  // A push race, on cue: the first push finds that someone else moved the branch just before it
  // (the hook commits on top, outside the push's quarantine, and refuses); later pushes pass.
  if (options.raceFirstPush) {
    const hook = `${dir}/hooks/pre-receive`;
    await writeFile(hook, RACE_HOOK);
    await chmod(hook, 0o755);
  }
  // Partial fetches (`filter blob:none`), as GitHub and GitLab allow.
  await run("git", ["-C", dir, "config", "uploadpack.allowFilter", "true"]);
}

const RACE_HOOK = `#!/bin/sh
[ -f raced ] && exit 0
touch raced
unset GIT_QUARANTINE_PATH GIT_OBJECT_DIRECTORY GIT_ALTERNATE_OBJECT_DIRECTORIES
export GIT_AUTHOR_NAME=Human GIT_AUTHOR_EMAIL=human@tower.invalid GIT_COMMITTER_NAME=Human GIT_COMMITTER_EMAIL=human@tower.invalid
while read old new ref; do
  case "$old" in 0000000000000000000000000000000000000000) continue ;; esac
  c=$(echo "a human's commit" | git commit-tree "$old^{tree}" -p "$old")
  git update-ref "$ref" "$c" "$old"
done
echo "the branch moved" >&2
exit 1
`;

let clock = 1_700_000_000;

export async function applyCommit(dir: string, req: CommitRequest): Promise<string> {
  const branch = req.branch ?? "main";
  const ref = `refs/heads/${branch}`;
  const parent = req.parent === "none" ? undefined : (req.parent ?? (await resolve(dir, ref)));
  const message = Buffer.from(`${req.message ?? "commit"}\n`);
  const when = `${clock++} +0000`;
  const parts: Buffer[] = [
    Buffer.from(
      `commit ${ref}\nauthor Tower Test <test@tower.invalid> ${when}\ncommitter Tower Test <test@tower.invalid> ${when}\n` +
        `data ${message.length}\n`,
    ),
    message,
    Buffer.from(parent ? `from ${parent}\n` : ""),
  ];
  for (const [path, content] of Object.entries(req.files)) {
    if (content === null) {
      parts.push(Buffer.from(`D ${path}\n`));
      continue;
    }
    const data = typeof content === "string" ? Buffer.from(content) : Buffer.from(content.base64, "base64");
    parts.push(Buffer.from(`M 100644 inline ${path}\ndata ${data.length}\n`), data, Buffer.from("\n"));
  }
  await new Promise<void>((ok, fail) => {
    const child = spawn("git", ["-C", dir, "fast-import", "--quiet", "--force"], { stdio: ["pipe", "ignore", "pipe"] });
    let err = "";
    child.stderr.on("data", (c: Buffer) => (err += c.toString()));
    child.on("error", fail);
    child.on("close", (code) => (code === 0 ? ok() : fail(new Error(`git fast-import failed: ${err}`))));
    child.stdin.end(Buffer.concat(parts));
  });
  const sha = await resolve(dir, ref);
  if (!sha) throw new Error(`commit to ${ref} left no ref`);
  return sha;
}

/** Points `ref` (full name) at `target` (a ref or commit), or deletes it when target is null. */
export async function setRef(dir: string, ref: string, target: string | null): Promise<void> {
  if (target === null) await run("git", ["-C", dir, "update-ref", "-d", ref]);
  else await run("git", ["-C", dir, "update-ref", ref, (await resolve(dir, target)) ?? target]);
}

/** Creates `count` refs `<prefix>0…` at `target` in one `git update-ref --stdin`. */
export async function setManyRefs(dir: string, prefix: string, count: number, target: string): Promise<void> {
  const oid = (await resolve(dir, target)) ?? target;
  const lines = Array.from({ length: count }, (_, i) => `create ${prefix}${i} ${oid}\n`).join("");
  await new Promise<void>((ok, fail) => {
    const child = spawn("git", ["-C", dir, "update-ref", "--stdin"], { stdio: ["pipe", "ignore", "pipe"] });
    let err = "";
    child.stderr.on("data", (c: Buffer) => (err += c.toString()));
    child.on("error", fail);
    child.on("close", (code) => (code === 0 ? ok() : fail(new Error(`git update-ref failed: ${err}`))));
    child.stdin.end(lines);
  });
}

/** An annotated tag object `refs/tags/<tag>` on `target`; returns the tag object's id. */
export async function annotatedTag(dir: string, tag: string, target: string, message: string): Promise<string> {
  const identity = ["-c", "user.name=Tower Test", "-c", "user.email=test@tower.invalid"];
  await run("git", ["-C", dir, ...identity, "tag", "-a", "-m", message, tag, (await resolve(dir, target)) ?? target]);
  return (await run("git", ["-C", dir, "rev-parse", `refs/tags/${tag}`])).stdout.trim();
}

export async function listRefs(dir: string): Promise<Record<string, string>> {
  const { stdout } = await run("git", ["-C", dir, "for-each-ref", "--format=%(refname) %(objectname)"]);
  const refs: Record<string, string> = {};
  for (const line of stdout.split("\n").filter(Boolean)) {
    const [name, sha] = line.split(" ");
    if (name && sha) refs[name] = sha;
  }
  return refs;
}

async function resolve(dir: string, rev: string): Promise<string | undefined> {
  try {
    return (await run("git", ["-C", dir, "rev-parse", "--verify", "--quiet", `${rev}^{commit}`])).stdout.trim();
  } catch {
    return undefined;
  }
}

/** `git cat-file -p <spec>`: a commit's raw text, or a file at `<rev>:<path>`. */
export async function catFile(dir: string, spec: string): Promise<string> {
  return (await run("git", ["-C", dir, "cat-file", "-p", spec])).stdout;
}

/** `git fsck --strict`: the problems git finds in the repo's objects ("" when none). */
export async function fsck(dir: string): Promise<string> {
  try {
    const { stdout, stderr } = await run("git", ["-C", dir, "fsck", "--strict", "--no-dangling"]);
    return (stdout + stderr).trim();
  } catch (err) {
    return String((err as { stderr?: string }).stderr ?? err);
  }
}
