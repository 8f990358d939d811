/**
 * What image automation remembers between ticks, in one state row of the ProjectDO (not its log:
 * a scan that changes nothing must not grow the log). Changes Tower makes are events as well.
 */
export interface ImageScanState {
  /** The scan round under way: images still to list this round (null: not queued yet). */
  round: { id: string; startedAt: string; pending: string[] | null } | null;
  images: Record<string, ImageRecord>;
  apps: Record<string, AppImageRecord>;
}

export interface ImageError {
  code: string;
  message: string;
  at: string;
}

export interface ImageRecord {
  lastScan: string | null;
  /** Tags seen at the last good listing (up to TAGS_KEPT, newest listing order). */
  tags: string[];
  tagCount: number;
  truncated: boolean;
  error: (ImageError & { retryAfterMs?: number }) | null;
  /** After a 429: no listing before this time. */
  notBefore: string | null;
}

export type AppImageStatus = "current" | "committed" | "deployed-only" | "suspended" | "no-fit" | "conflict" | "error";

export interface AppImageRecord {
  image: string;
  policy: string;
  pinned: string;
  /** The tag the policy picks, and why (or why none). */
  chosen: string | null;
  digest: string | null;
  why: string;
  status: AppImageStatus;
  /** `write_back: false`: what Tower deploys instead of the pinned image, while the pin stays `pinned`. */
  override: { pinned: string; image: string } | null;
  lastChange: { at: string; from: string; to: string; commit: string | null } | null;
  error: ImageError | null;
  checkedAt: string;
}

export const TAGS_KEPT = 100;

export function initialScanState(): ImageScanState {
  return { round: null, images: {}, apps: {} };
}
