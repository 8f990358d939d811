import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { appSecretPolicy, type Evaluation, evaluateTree, type GitRefSpec } from "../config";
import type { Args } from "./args";
import { UsageError } from "./args";
import { localFileTree } from "./local-file-tree";

const want = (ref: GitRefSpec) =>
  "commit" in ref ? { commit: ref.commit } : { ref: "branch" in ref ? ref.branch : ref.tag };

/** Evaluates the folder named on the command line (default "."), as the Worker would its repo. */
export async function evaluateDir(args: Args): Promise<{ dir: string; evaluation: Evaluation }> {
  const dir = resolve(args.positional[0] ?? ".");
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) throw new UsageError(`${dir} is not a folder`);
  // src/git (isomorphic-git) loads only when asked to fetch: validating stays light.
  const git = args.flags.fetch ? await import("../git") : undefined;
  const credentials = git?.parseGitCredentials(process.env.GIT_CREDENTIALS);
  const evaluation = await evaluateTree(localFileTree(dir), {
    secrets: (key) => process.env[key],
    secretPolicy: appSecretPolicy(process.env),
    defaultOrg: typeof args.flags.org === "string" ? args.flags.org : (process.env.FLY_ORG ?? "personal"),
    missingSecrets: "warning",
    openRepo: git
      ? async (source) => (await git.fetchCommit(source.url, want(source.ref), { credentials })).fileTree()
      : undefined,
  });
  return { dir, evaluation };
}
