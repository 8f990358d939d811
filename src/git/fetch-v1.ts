/**
 * The fallback for servers without protocol v2: isomorphic-git's own shallow fetch (a GET of
 * the full ref advertisement, then a POST for the pack), through the same guarded http client.
 */
import git from "isomorphic-git";
import { gitError } from "./git-error";
import type { Guard } from "./guard";
import type { memoryFs } from "./memory-fs";

export async function fetchV1(
  guard: Guard,
  target: { fs: ReturnType<typeof memoryFs>; gitdir: string; cache: object },
  cloneUrl: string,
  repo: string,
  ref: string,
): Promise<string> {
  const { fs, gitdir, cache } = target;
  // isomorphic-git records what it fetched under the remote's refspec.
  await git.addRemote({ fs, gitdir, remote: "origin", url: cloneUrl });
  const fetched = await git.fetch({
    fs,
    http: guard.http,
    gitdir,
    cache,
    remote: "origin",
    ref,
    singleBranch: true,
    depth: 1,
    tags: false,
  });
  if (!fetched.fetchHead) throw gitError("ref_missing", repo, `the repository is empty (no ${ref})`);
  return fetched.fetchHead;
}
