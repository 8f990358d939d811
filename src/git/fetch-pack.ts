/**
 * Protocol v2 `fetch` of one commit at depth 1: one POST, answered with a packfile in side-band
 * pkt-lines. `filter blob:none` leaves out file contents when only trees are wanted (watching an
 * app repo needs the tree id of its folder, not its files).
 */

import { concat, once } from "./bytes";
import { gitError } from "./git-error";
import type { Guard } from "./guard";
import { pktLines } from "./pkt-line";
import { pktText, readPkts } from "./pkt-stream";

export type FetchPackResult =
  | { kind: "pack"; pack: Uint8Array }
  /** The server did not answer in protocol v2 (or refused the filter): use another way. */
  | { kind: "unsupported"; reason: string };

export async function fetchPack(
  guard: Guard,
  cloneUrl: string,
  repo: string,
  oid: string,
  options: { treesOnly: boolean },
): Promise<FetchPackResult> {
  const body = pktLines([
    "command=fetch\n",
    "agent=git/tower\n",
    "delim",
    "no-progress\n",
    "ofs-delta\n",
    "deepen 1\n",
    `want ${oid}\n`,
    ...(options.treesOnly ? ["filter blob:none\n"] : []),
    "done\n",
    "flush",
  ]);
  const res = await guard.http.request({
    url: `${cloneUrl}/git-upload-pack`,
    method: "POST",
    headers: {
      "content-type": "application/x-git-upload-pack-request",
      accept: "application/x-git-upload-pack-result",
      "git-protocol": "version=2",
    },
    body: once(body),
  });
  if (res.statusCode !== 200 || !res.body) return { kind: "unsupported", reason: `HTTP ${res.statusCode}` };

  const parts: Uint8Array[] = [];
  let inPack = false;
  for await (const pkt of readPkts(res.body)) {
    if (pkt === "flush" || pkt === "end") break;
    if (pkt === "delim") continue;
    if (!inPack) {
      const line = pktText(pkt) ?? "";
      if (line.startsWith("ERR ")) throw refused(repo, oid, line.slice(4));
      if (line === "packfile") inPack = true;
      else if (!/^(shallow-info|shallow |unshallow |acknowledgments|wanted-refs|ACK |NAK|ready)/.test(line)) {
        return { kind: "unsupported", reason: "not a protocol v2 answer" };
      }
      continue;
    }
    const band = pkt[0];
    if (band === 1) {
      parts.push(pkt.subarray(1));
    } else if (band === 3) {
      throw refused(repo, oid, new TextDecoder().decode(pkt.subarray(1)).trim());
    }
  }
  if (!inPack) return { kind: "unsupported", reason: "no packfile in the answer" };
  return { kind: "pack", pack: concat(parts) };
}

function refused(repo: string, oid: string, message: string) {
  return /not our ref|no such|not found|unadvertised/i.test(message)
    ? gitError("ref_missing", repo, `the server does not have commit ${oid}`)
    : gitError("protocol", repo, `the server refused the fetch: ${message.slice(0, 200)}`);
}
