/**
 * One ref update over smart-HTTP `git-receive-pack`: the command line `<old> <new> <ref>` and a
 * packfile of the new objects, in one POST. The server applies it only if the ref still points
 * at `<old>` (the ref transaction checks it under a lock), which is the compare-and-swap
 * write-back relies on. The answer is `report-status`: `unpack ok` and `ok <ref>` or
 * `ng <ref> <reason>`. No GET of the receive-pack advertisement first: the old value comes from
 * the fetch the new commit was built on, and report-status is universal.
 */
import { collect, concat, once } from "./bytes";
import { gitError } from "./git-error";
import type { Guard } from "./guard";
import { parsePktLines, pktLines } from "./pkt-line";

export type RefUpdateResult = { ok: true } | { ok: false; reason: string };

export async function receivePack(
  guard: Guard,
  cloneUrl: string,
  repo: string,
  update: { ref: string; old: string; new: string; pack: Uint8Array },
): Promise<RefUpdateResult> {
  const command = `${update.old} ${update.new} ${update.ref}\0report-status agent=git/tower\n`;
  const body = concat([pktLines([command, "flush"]), update.pack]);
  const res = await guard.http.request({
    url: `${cloneUrl}/git-receive-pack`,
    method: "POST",
    headers: {
      "content-type": "application/x-git-receive-pack-request",
      accept: "application/x-git-receive-pack-result",
    },
    body: once(body),
  });
  const bytes = await collect(res.body ?? []);
  if (res.statusCode !== 200) {
    throw gitError("push_rejected", repo, `the server answered HTTP ${res.statusCode} to the push`, {
      status: res.statusCode,
    });
  }
  let lines: ReturnType<typeof parsePktLines>;
  try {
    lines = parsePktLines(bytes);
  } catch {
    throw gitError("protocol", repo, "the push answer is not a git report-status");
  }
  const text = lines.filter((l): l is string => typeof l === "string" && !["flush", "delim", "end"].includes(l));
  const unpack = text.find((l) => l.startsWith("unpack "));
  if (unpack !== "unpack ok") {
    throw gitError(
      "push_rejected",
      repo,
      `the server could not store the pushed objects: ${clip(unpack ?? "no report")}`,
    );
  }
  for (const line of text) {
    if (line === `ok ${update.ref}`) return { ok: true };
    if (line.startsWith(`ng ${update.ref} `)) return { ok: false, reason: clip(line.slice(update.ref.length + 4)) };
  }
  throw gitError("protocol", repo, `the push answer says nothing about ${update.ref}`);
}

function clip(text: string): string {
  return text.slice(0, 200);
}
