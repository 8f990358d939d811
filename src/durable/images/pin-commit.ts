/**
 * Commits a new pin for one app: the config repo's branch tip is read, the app file's pinned
 * image rewritten in place (pinImage), and the change pushed with compare-and-swap (writeBack),
 * with trailers saying which policy chose it and what it replaced.
 */
import { describePolicy } from "../../config/image-policy";
import { pinImage } from "../../config/pin-image";
import type { GitCredentials } from "../../git/credentials";
import { type WriteBackResult, writeBack } from "../../git/write-back";
import { parseImageRef } from "../../registry/image-ref";
import { type ImageApp, sameImage } from "./image-apps";

export interface ConfigRepo {
  url: string;
  branch: string;
  /** Folder of the root project in the repo ("." for the root). */
  path: string;
  credentials?: GitCredentials;
}

export async function commitPin(repo: ConfigRepo, app: ImageApp, next: string, why: string): Promise<WriteBackResult> {
  const file = [repo.path, app.file]
    .flatMap((p) => p.split("/"))
    .filter((p) => p !== "" && p !== ".")
    .join("/");
  const field = file.endsWith(".toml") ? ["build", "image"] : ["source", "image"];
  return writeBack(repo.url, { branch: repo.branch, credentials: repo.credentials }, async (tip) => {
    const text = await tip.readFile(file);
    if (text === undefined) return { kind: "conflict", reason: `${file} is not in the config repo any more` };
    const edit = pinImage({ file, text, path: field, sameImage: (v) => sameImage(app, v), next });
    if (edit.kind !== "edited") return edit;
    return {
      kind: "commit",
      changes: { [file]: edit.text },
      message: {
        subject: `image: ${app.app} ${tagOf(edit.previous)} → ${tagOf(next)}`,
        body: `Tower's image automation: ${why}.`,
        trailers: [
          ["Tower-Image-Policy", `${app.file} ${describePolicy(app.policy)}`],
          ["Tower-Previous", edit.previous],
        ],
      },
    };
  });
}

function tagOf(image: string): string {
  try {
    return parseImageRef(image).tag ?? "(untagged)";
  } catch {
    return "(unreadable)";
  }
}
