/** A commit Tower makes to a wave's images file, as plain data (no log machinery here). */
import type { ImagesFile } from "../../config/images-file";

/** Why Tower wrote an images file: CI announced digests, or an earlier wave earned them. */
export type WritePurpose =
  | { kind: "announce"; source: string }
  /** `deploys`: the deploys that proved `from` healthy, `<app> <id> (release n)` (the Tower-Deploy trailers). */
  | { kind: "promote"; from: string; deploys: string[] };

/** A commit Tower made (or is making) to one wave's images file. */
export interface WaveWrite {
  wave: string;
  file: string;
  /** The entries written over the file's (services not named keep theirs). */
  images: ImagesFile;
  purpose: WritePurpose;
}
