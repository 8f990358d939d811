/**
 * Images files: what a wave runs, one JSON file per wave in the config repo, shaped like
 * InfluxData cfgupdater's announcements — `{"<service>": {"digest": "<repo>@sha256:…",
 * "tag": "<repo>:<tag>"}}`. Tower writes them (announcements, promotions); apps read them
 * through `source: {type: image, from: <file>, service: <name>}`. Pure: parse, check, format.
 */
import { SERVICE_NAME } from "./schema/source-schema";

export interface ImageEntry {
  /** `<repo>@sha256:<64 hex>`: what deploys. */
  digest: string;
  /** `<repo>:<tag>`: what people read. Absent when only a digest is known (a built image). */
  tag?: string;
}

export type ImagesFile = Record<string, ImageEntry>;

const DIGEST = /^([^@\s]+)@(sha256:[0-9a-f]{64})$/;
const TAG = /^([^@\s]+):([A-Za-z0-9_][A-Za-z0-9._-]{0,127})$/;
/** Images files are a handful of lines; a bigger one is a mistake. */
const MAX_SERVICES = 200;

/** Why one entry is not a usable image (naming the service), or null. */
export function entryProblem(service: string, entry: unknown): string | null {
  if (!SERVICE_NAME.test(service)) return `"${service}" is not a service name (lowercase letters, digits, ., _ and -)`;
  if (typeof entry !== "object" || entry === null || Array.isArray(entry))
    return `${service}: expected {"digest": "<repo>@sha256:…", "tag": "<repo>:<tag>"}`;
  const { digest, tag, ...rest } = entry as Record<string, unknown>;
  const extra = Object.keys(rest);
  if (extra.length > 0) return `${service}: unknown field ${extra[0]}`;
  if (typeof digest !== "string" || digest === "")
    return `${service}: no digest${typeof tag === "string" ? ` for tag ${tag}` : ""} (a tag alone can move; Tower deploys digests)`;
  const d = DIGEST.exec(digest);
  if (!d) return `${service}: digest ${digest} is not <repo>@sha256:<64 hex digits>`;
  if (tag === undefined) return null;
  const t = typeof tag === "string" ? TAG.exec(tag) : null;
  if (!t) return `${service}: tag ${String(tag)} is not <repo>:<tag>`;
  if (t[1] !== d[1]) return `${service}: digest repo ${d[1]} does not match tag repo ${t[1]}`;
  return null;
}

/** Parses an images file's text: the entries, or the problems (each naming its service). */
export function parseImagesFile(text: string): { ok: true; images: ImagesFile } | { ok: false; problems: string[] } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: false, problems: [`not JSON: ${e instanceof Error ? e.message : String(e)}`] };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    return { ok: false, problems: ["expected a JSON object of services"] };
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > MAX_SERVICES) return { ok: false, problems: [`more than ${MAX_SERVICES} services`] };
  const problems = entries.flatMap(([service, entry]) => entryProblem(service, entry) ?? []);
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, images: value as ImagesFile };
}

/** The file's text as Tower writes it: services sorted, two-space JSON, a final newline (small diffs). */
export function formatImagesFile(images: ImagesFile): string {
  const sorted = Object.fromEntries(
    Object.keys(images)
      .sort()
      .map((service) => {
        const { digest, tag } = images[service]!;
        return [service, tag === undefined ? { digest } : { digest, tag }];
      }),
  );
  return `${JSON.stringify(sorted, null, 2)}\n`;
}

/** The image reference an app deploys: `<repo>:<tag>@sha256:…` (readable, and pinned by digest). */
export function deployedImage(entry: ImageEntry): string {
  return entry.tag === undefined ? entry.digest : `${entry.tag}@${entry.digest.slice(entry.digest.indexOf("@") + 1)}`;
}

/** The entry a deployed image reference stands for (the inverse of deployedImage), or null. */
export function entryOfImage(image: string): ImageEntry | null {
  const at = image.lastIndexOf("@");
  if (at < 0) return null;
  const name = image.slice(0, at);
  const sha = image.slice(at + 1);
  const tagged = TAG.exec(name);
  const repo = tagged ? tagged[1]! : name;
  const digest = `${repo}@${sha}`;
  if (!DIGEST.test(digest)) return null;
  return tagged ? { digest, tag: name } : { digest };
}

/** Whether two entries deploy the same bytes (the digest is what counts; tags are for people). */
export function sameDigest(a: ImageEntry | undefined, b: ImageEntry | undefined): boolean {
  return a !== undefined && b !== undefined && a.digest === b.digest;
}
