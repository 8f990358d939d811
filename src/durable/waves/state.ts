import type { ImagesFile } from "../../config/images-file";
import type { WaveWrite } from "./wave-write";

/** A commit of Tower's on the gate branch, waiting for the config repo's CI. */
export interface GatedCommit extends WaveWrite {
  commit: string;
  /** The deploy branch's tip it was built on: the fast-forward's expected old value. */
  parent: string;
  at: string;
}

export interface WavesState {
  version: number;
  /** Per wave: the digests (digestsKey) an admin approved into it. */
  approvals: Record<string, string>;
  /** Per wave: Tower's last commit to its images file. */
  written: Record<
    string,
    { commit: string; images: ImagesFile; at: string; gated: boolean } & Pick<WaveWrite, "purpose">
  >;
  /** Per wave: the last write that failed, until a later one succeeds. */
  failures: Record<string, { code: string; reason: string; at: string }>;
  /** Per wave: the last commit CI failed on (its digests are not retried until new ones come). */
  rejected: Record<string, { commit: string; images: ImagesFile; state: string; at: string }>;
  gated: GatedCommit | null;
}

export function initialWavesState(): WavesState {
  return { version: 0, approvals: {}, written: {}, failures: {}, rejected: {}, gated: null };
}

/** One key for a set of digests: services sorted, digests only (tags are for people). */
export function digestsKey(images: ImagesFile): string {
  return Object.keys(images)
    .sort()
    .map((service) => `${service}=${images[service]!.digest}`)
    .join(",");
}
