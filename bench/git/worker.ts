/**
 * The worker `bench/git.ts` runs in workerd (bundled by wrangler, run by Miniflare): it lists
 * refs and fetches on request and holds the last snapshot, so the benchmark can read the workerd
 * process's memory from outside while the fetched repo is still in memory. Times are taken outside too (workerd's clock only
 * moves on I/O).
 */
import { fetchCommit, type GitSnapshot, listRemoteRefs } from "../../src/git";

let held: GitSnapshot | undefined;

export default {
  async fetch(request: Request): Promise<Response> {
    const params = new URL(request.url).searchParams;
    const url = params.get("url") ?? "";
    switch (new URL(request.url).pathname) {
      case "/list": {
        const remote = await listRemoteRefs(url, { prefixes: ["refs/heads/main"] });
        return Response.json({ refs: Object.keys(remote.refs).length });
      }
      case "/fetch": {
        const treesOnly = params.get("trees") === "1";
        held = await fetchCommit(url, { ref: "main" }, { maxBytes: 256 * 1024 * 1024, timeoutMs: 300_000, treesOnly });
        return Response.json({ commit: held.commit, bytes: held.bytesFetched });
      }
      case "/read-all": {
        // Every file of the held commit, as config evaluation of a whole repo would.
        const tree = held?.fileTree();
        let files = 0;
        const walk = async (dir: string): Promise<void> => {
          for (const entry of (await tree?.list(dir)) ?? []) {
            const path = dir ? `${dir}/${entry.name}` : entry.name;
            if (entry.kind === "dir") await walk(path);
            else if ((await tree?.read(path)) !== undefined) files++;
          }
        };
        await walk("");
        return Response.json({ files });
      }
      case "/release":
        held = undefined;
        return Response.json({});
      default:
        return new Response("not found", { status: 404 });
    }
  },
};
