/**
 * The apps image automation follows: those whose source is an image with a policy. Each is tied
 * to the image name it lists (registry/repository), so apps sharing an image share one listing.
 */
import type { ImagePolicy } from "../../config/image-policy";
import type { AppSource } from "../../config/resolved-app";
import { type ImageRef, imageName, parseImageRef } from "../../registry/image-ref";

export interface ImageApp {
  app: string;
  /** The app's file in the config tree: where the pinned image is written. */
  file: string;
  /** `source.image` as written: `ghcr.io/acme/api:1.4.2@sha256:…` (or without tag/digest at first). */
  pinned: string;
  ref: ImageRef;
  /** `registry/repository`: the listing key. */
  image: string;
  policy: ImagePolicy;
}

export interface FollowedApps {
  apps: ImageApp[];
  /** Apps whose pinned image does not parse: shown in the API, never scanned. */
  invalid: { app: string; message: string }[];
}

export function followedApps(entries: { name: string; file: string; source: AppSource }[]): FollowedApps {
  const apps: ImageApp[] = [];
  const invalid: FollowedApps["invalid"] = [];
  for (const entry of entries) {
    if (entry.source.type !== "image" || !entry.source.policy) continue;
    try {
      const ref = parseImageRef(entry.source.image);
      apps.push({
        app: entry.name,
        file: entry.file,
        pinned: entry.source.image,
        ref,
        image: imageName(ref),
        policy: entry.source.policy,
      });
    } catch (err) {
      invalid.push({ app: entry.name, message: (err as Error).message });
    }
  }
  return { apps: apps.sort((a, b) => a.app.localeCompare(b.app)), invalid };
}

/** The pinned text with a new tag and digest, keeping the image as the file spells it. */
export function repin(app: ImageApp, tag: string, digest: string): string {
  let base = app.pinned.trim();
  if (app.ref.digest) base = base.slice(0, base.lastIndexOf("@"));
  if (app.ref.tag) base = base.slice(0, base.length - app.ref.tag.length - 1);
  return `${base}:${tag}@${digest}`;
}

/** True when `text` names the same image as the app (whatever its tag and digest). */
export function sameImage(app: ImageApp, text: string): boolean {
  try {
    return imageName(parseImageRef(text)) === app.image;
  } catch {
    return false;
  }
}
