/** What the waves' RPC methods take and answer (the API's shapes; see src/worker/api/wave-routes.ts). */
import type { ImagesFile } from "../../config/images-file";
import type { WaveView } from "./assess";
import type { WavesState } from "./state";

export interface WavesStatus {
  waves: WaveView[];
  /** With `gate:`: Tower's commit waiting for CI, and the branches. */
  gate: {
    branch: string;
    deployBranch: string;
    waiting: { commit: string; wave: string; since: string } | null;
  } | null;
  /** Per wave: Tower's last commit to its file, and the last write that failed. */
  written: WavesState["written"];
  failures: WavesState["failures"];
}

export interface Announcement {
  images: Record<string, unknown>;
  source: { commit: string };
}

export type WaveAnswer =
  | { ok: true; wave: string; result: "committed" | "unchanged"; commit: string; branch: string; gated: boolean }
  | {
      ok: false;
      code: "invalid_images" | "no_waves" | "not_found" | "not_promotable" | "write_failed";
      problems: string[];
    };

export type PromoteAnswer =
  | Extract<WaveAnswer, { ok: false }>
  | { ok: true; wave: string; approved: ImagesFile; promotion: NonNullable<WaveView["promotion"]> };
