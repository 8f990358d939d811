/**
 * Which image a deploy runs. An `image` source names it; every other source needs a build, which
 * is the seam for builder machines (src/fly builds): until that lands such a deploy fails here.
 */
import type { AppSource } from "../../config/resolved-app";

export type ImageResolution = { image: string } | { reason: string };

export function resolveImage(source: AppSource): ImageResolution {
  if (source.type === "image") return { image: source.image };
  return { reason: `image builds not available: the app's source is ${source.type}, which needs a build` };
}
