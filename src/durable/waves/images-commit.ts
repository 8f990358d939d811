/**
 * The change a wave write makes on a branch tip: the images file with the written entries over
 * its own (services not named keep theirs), and a message whose trailers say what and why.
 */
import { formatImagesFile, type ImagesFile, parseImagesFile } from "../../config/images-file";
import type { WriteBackDecision } from "../../git/write-back";
import type { WaveWrite } from "./events";

export function imagesCommit(write: WaveWrite, text: string | undefined): WriteBackDecision {
  let current: ImagesFile = {};
  if (text !== undefined) {
    const parsed = parseImagesFile(text);
    if (!parsed.ok)
      return { kind: "conflict", reason: `${write.file} is not an images file: ${parsed.problems.join("; ")}` };
    current = parsed.images;
  }
  const services = Object.keys(write.images).sort();
  if (services.every((s) => current[s]?.digest === write.images[s]!.digest && current[s]?.tag === write.images[s]!.tag))
    return { kind: "unchanged" };
  const next = formatImagesFile({ ...current, ...write.images });
  const names = services.map((s) => `${s} ${label(write.images[s]!)}`).join(", ");
  const images = services.map((s): [string, string] => ["Tower-Images", `${s}=${write.images[s]!.digest}`]);
  const p = write.purpose;
  if (p.kind === "announce")
    return {
      kind: "commit",
      changes: { [write.file]: next },
      message: {
        subject: `images: ${write.wave} gets ${names}`,
        body: `Announced by CI for source commit ${p.source}.`,
        trailers: [...images, ["Tower-Source-Commit", p.source]],
      },
    };
  return {
    kind: "commit",
    changes: { [write.file]: next },
    message: {
      subject: `images: promote ${p.from} → ${write.wave} (${names})`,
      body: `Every app of ${p.from} deployed these digests and stayed healthy.`,
      trailers: [
        ...images,
        ["Tower-Promoted-From", p.from],
        ...p.deploys.map((d): [string, string] => ["Tower-Deploy", d]),
      ],
    },
  };
}

/** A short name for people: the tag, else the digest's first 12 hex digits. */
function label(entry: { digest: string; tag?: string }): string {
  if (entry.tag) return entry.tag.slice(entry.tag.lastIndexOf(":") + 1);
  return entry.digest.slice(entry.digest.indexOf("sha256:") + 7, entry.digest.indexOf("sha256:") + 19);
}
