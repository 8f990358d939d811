/**
 * The fallback for servers without protocol v2: isomorphic-git's own shallow fetch (a GET of
 * the full ref advertisement, then a POST for the pack), through the same guarded http client.
 * isomorphic-git indexes whatever pack it is handed, in memory, so the upload-pack answer is
 * read whole first (the guard bounds its bytes), its pack taken out of the side-band pkt-lines
 * and measured against the same limits as a v2 pack; only an answer within them is handed on.
 */
import git, { type HttpClient } from "isomorphic-git";
import { concat } from "./bytes";
import { gitError } from "./git-error";
import type { Guard } from "./guard";
import type { memoryFs } from "./memory-fs";
import { checkPack, type PackLimits } from "./pack-limits";
import { readPkts } from "./pkt-stream";

export async function fetchV1(
  guard: Guard,
  target: { fs: ReturnType<typeof memoryFs>; gitdir: string; cache: object },
  cloneUrl: string,
  repo: string,
  ref: string,
  limits: PackLimits,
): Promise<string> {
  const { fs, gitdir, cache } = target;
  const operation = `fetching ${ref}`;
  // isomorphic-git records what it fetched under the remote's refspec.
  await git.addRemote({ fs, gitdir, remote: "origin", url: cloneUrl });
  const fetched = await git.fetch({
    fs,
    http: measuringPacks(guard.http, async (chunks) => {
      const pack = await sideBandPack(chunks, repo, operation);
      if (pack) checkPack(pack, repo, operation, limits);
    }),
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

/** An http client that holds back an upload-pack answer until `check` has read it whole. */
function measuringPacks(http: HttpClient, check: (chunks: Uint8Array[]) => Promise<void>): HttpClient {
  return {
    async request(req) {
      const res = await http.request(req);
      if (req.method !== "POST" || !req.url.endsWith("/git-upload-pack") || !res.body) return res;
      const chunks: Uint8Array[] = [];
      for await (const chunk of res.body) chunks.push(chunk);
      await check(chunks);
      return { ...res, body: replay(chunks) };
    },
  };
}

/**
 * The pack in a v1 upload-pack answer: `shallow`/`NAK`/`ACK` lines, then side-band-64k pkt-lines
 * whose first byte is the band (1 pack data, 2 progress, 3 a fatal error), as isomorphic-git's
 * GitSideBand.demux reads it. Undefined when there is no pack (an error band: isomorphic-git
 * reports that itself).
 */
async function sideBandPack(chunks: Uint8Array[], repo: string, operation: string): Promise<Uint8Array | undefined> {
  const parts: Uint8Array[] = [];
  try {
    for await (const pkt of readPkts(replay(chunks))) {
      if (typeof pkt === "string") continue;
      if (pkt[0] === 1) parts.push(pkt.subarray(1));
      else if (pkt[0] === 3) return undefined;
    }
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    throw gitError("protocol", repo, `${operation}: the upload-pack answer is not pkt-lines (${error.message})`);
  }
  return parts.length > 0 ? concat(parts) : undefined;
}

async function* replay(chunks: Uint8Array[]): AsyncIterableIterator<Uint8Array> {
  yield* chunks;
}
