/** What `GET /api/images` answers: the scan state as a read model (pure). */
import type { FollowedApps } from "./image-apps";
import type { AppImageRecord, ImageError, ImageScanState } from "./scan-state";

export interface ImagesStatus {
  /** The round under way (images still to list), or null between rounds. */
  scanning: { round: string; startedAt: string; pending: number } | null;
  images: {
    image: string;
    lastScan: string | null;
    tagCount: number;
    /** The tags seen at the last listing (up to 100, in the registry's order). */
    tags: string[];
    truncated: boolean;
    error: ImageError | null;
    notBefore: string | null;
  }[];
  apps: ({ app: string } & AppImageRecord)[];
  /** Apps whose pinned image does not parse: never scanned. */
  invalid: { app: string; message: string }[];
}

export function imagesStatus(state: ImageScanState, followed: FollowedApps): ImagesStatus {
  const round = state.round;
  return {
    scanning: round ? { round: round.id, startedAt: round.startedAt, pending: round.pending?.length ?? 0 } : null,
    images: Object.entries(state.images)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([image, r]) => ({
        image,
        lastScan: r.lastScan,
        tagCount: r.tagCount,
        tags: r.tags,
        truncated: r.truncated,
        error: r.error ? { code: r.error.code, message: r.error.message, at: r.error.at } : null,
        notBefore: r.notBefore,
      })),
    apps: Object.entries(state.apps)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([app, r]) => ({ app, ...r })),
    invalid: followed.invalid,
  };
}
