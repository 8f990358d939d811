/**
 * Tells preview apps' AppDOs to deploy, a few at a time. Thirty pull requests opened at once
 * would otherwise start thirty builds together: thirty machines, secret updates and app creates
 * against the shared builder app and the organisation, where Fly allows about one request per
 * second per action (burst 3; ../shared/reference/FLY-FACTS.md). So at most PREVIEWS_AT_ONCE
 * preview deploys are under way; the rest wait, in the order they were wanted, until an AppDO
 * reports one settled (`reportSummary` wakes the ProjectDO) or the recheck alarm.
 *
 * What is owed comes from the state (each live preview's wanted head) against what was told (a
 * row per preview), not from the log, so a waiting preview never holds up other apps' notices.
 */
import { previewApp } from "../../config/preview-app";
import type { AppStatusName } from "../contract";
import type { EventStore } from "../event-store";
import type { ProjectPorts } from "./ports";
import { previewDesireKey } from "./previews";
import { type PreviewTold, readPreviewTold, readResolved, readSummary, writePreviewTold } from "./project-rows";
import type { LivePreview } from "./state";

/** Preview deploys under way at once, per project. */
export const PREVIEWS_AT_ONCE = 8;
/** A told preview that never reported back stops counting after this long (a build's limit is 20 min). */
const STALE_MS = 30 * 60_000;
/** While previews wait for a slot: the alarm that looks again if no AppDO report wakes the DO first. */
export const PREVIEW_RECHECK_MS = 30_000;

const BUSY: readonly AppStatusName[] = ["pending", "deploying", "degraded"];

type Rows = Pick<EventStore, "getState" | "putState">;

/** Live previews whose wanted deploy was not told yet, oldest wish first. */
export function owedPreviews(rows: Rows, previews: LivePreview[]): LivePreview[] {
  return previews
    .filter((p) => readPreviewTold(rows, p.app)?.key !== previewDesireKey(p))
    .sort((a, b) => a.at.localeCompare(b.at) || a.app.localeCompare(b.app));
}

/** Whether a report from `app` may let waiting previews go: it is a preview, and some are owed. */
export function wakesPreviews(rows: Rows, previews: Record<string, LivePreview>, app: string): boolean {
  return Object.hasOwn(previews, app) && owedPreviews(rows, Object.values(previews)).length > 0;
}

/**
 * Whether the preview's last told deploy is still under way: its AppDO has not reported it
 * settled at the told head. A report older than the telling does not count.
 */
function underWay(rows: Rows, told: PreviewTold | null, app: string, now: number): boolean {
  if (!told || now - Date.parse(told.at) > STALE_MS) return false;
  const summary = readSummary(rows, app)?.summary;
  return !summary || summary.desired.sourceCommit !== told.head || BUSY.includes(summary.status);
}

/**
 * Tells owed previews, at most `budget` of them (subrequests) and only while fewer than
 * PREVIEWS_AT_ONCE are under way. Returns what still waits: `budget` (go on at once), `slots`
 * (wait for a report), or null. A failed call throws after the others were tried.
 */
export async function deliverPreviews(
  store: Rows,
  ports: Pick<ProjectPorts, "desire">,
  previews: LivePreview[],
  budget: number,
  now: string,
): Promise<"budget" | "slots" | null> {
  const at = Date.parse(now);
  const owed = owedPreviews(store, previews);
  if (owed.length === 0) return null;
  let busy = previews.filter((p) => underWay(store, readPreviewTold(store, p.app), p.app, at)).length;
  const chosen: LivePreview[] = [];
  let blocked: "budget" | "slots" | null = null;
  for (const preview of owed) {
    if (chosen.length >= budget) {
      blocked = "budget";
      break;
    }
    // A preview already deploying (a push while it builds) takes no new slot.
    const takesSlot = !underWay(store, readPreviewTold(store, preview.app), preview.app, at);
    if (takesSlot && busy >= PREVIEWS_AT_ONCE) {
      blocked = "slots";
      continue;
    }
    if (takesSlot) busy++;
    chosen.push(preview);
  }
  const failures: unknown[] = [];
  // One at a time in the pass: the AppDO calls are quick (they append and arm an alarm).
  for (const preview of chosen) {
    try {
      await tell(store, ports, preview, now);
    } catch (error) {
      failures.push(error);
    }
  }
  if (failures.length > 0) throw failures[0];
  return blocked;
}

async function tell(store: Rows, ports: Pick<ProjectPorts, "desire">, preview: LivePreview, now: string) {
  const key = previewDesireKey(preview);
  // Derived from the app's row as config resolves it now: a redelivery sends the same app.
  const of = readResolved(store, preview.of);
  if (of?.previews) {
    const app = previewApp(of, of.previews, { number: preview.number, commit: preview.head });
    // The commit status goes on the pull request's head, as for the app's own deploys.
    const origin = app.source.type === "git" ? { url: app.source.url, sha: preview.head } : null;
    await ports.desire({ app, sourceCommit: preview.head, cause: preview.cause, key, origin });
  }
  writePreviewTold(store, preview.app, { head: preview.head, key, at: now });
}
