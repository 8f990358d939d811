/**
 * Image references as people write them (`nginx`, `ghcr.io/acme/api:1.4.2@sha256:…`,
 * `127.0.0.1:5000/team/app:main-17`), split into registry host, repository, tag and digest with
 * Docker's rules (distribution/reference): the first path part is a registry host only when it
 * has a `.` or a `:` or is `localhost`; otherwise the image is on Docker Hub, and a one-part name
 * is under `library/`. Every pattern here is linear (no nested quantifiers) and every part
 * bounded, since references come from other teams' config.
 */
import { RegistryError } from "../errors";

export interface ImageRef {
  /** The host people write (`ghcr.io`, `docker.io`, `127.0.0.1:5000`), lowercase. */
  registry: string;
  /** `acme/api`, `library/nginx`. */
  repository: string;
  tag?: string;
  digest?: string;
}

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const HOST = /^(?:[a-z0-9-]+\.)*[a-z0-9-]+(?::\d{1,5})?$/;
export const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^sha256:[0-9a-f]{64}$/;
const MAX_REFERENCE = 512;

export function parseImageRef(text: string): ImageRef {
  const input = text.trim();
  if (input.length === 0 || input.length > MAX_REFERENCE) throw invalid(text, "empty or longer than 512 characters");
  let rest = input;
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) throw invalid(text, "a digest is sha256: and 64 hex digits");
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(":");
  if (colon > rest.lastIndexOf("/")) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) throw invalid(text, `"${tag.slice(0, 130)}" is not a tag`);
  }
  const parts = rest.split("/");
  const first = parts[0] ?? "";
  const hasHost = parts.length > 1 && (first.includes(".") || first.includes(":") || first === "localhost");
  const registry = hasHost ? first.toLowerCase() : "docker.io";
  const path = hasHost ? parts.slice(1) : parts;
  if (registry === "docker.io" && path.length === 1) path.unshift("library");
  if (!HOST.test(registry)) throw invalid(text, `"${registry}" is not a registry host`);
  if (path.length === 0 || !path.every((p) => COMPONENT.test(p))) {
    throw invalid(text, "the repository is lowercase letters, digits and separators (. _ __ -) between /");
  }
  return { registry, repository: path.join("/"), ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) };
}

/** `registry/repository[:tag][@digest]`, Docker Hub spelt `docker.io/…`. */
export function formatImageRef(ref: ImageRef): string {
  return `${imageName(ref)}${ref.tag ? `:${ref.tag}` : ""}${ref.digest ? `@${ref.digest}` : ""}`;
}

/** The image without tag and digest: what a scan lists once, however many apps use it. */
export function imageName(ref: ImageRef): string {
  return `${ref.registry}/${ref.repository}`;
}

/** Where the registry's v2 API is: Docker Hub's is not docker.io; loopback test registries are http. */
export function registryBaseUrl(registry: string): string {
  if (registry === "docker.io" || registry === "index.docker.io") return "https://registry-1.docker.io";
  return `${isLoopbackHost(registry) ? "http" : "https"}://${registry}`;
}

export function isLoopbackHost(host: string): boolean {
  const name = host.replace(/:\d+$/, "");
  return name === "localhost" || /^127(\.\d{1,3}){3}$/.test(name) || name === "[::1]";
}

function invalid(text: string, why: string): RegistryError {
  return new RegistryError("invalid_image", `not an image reference "${text.slice(0, 100)}": ${why}`, {
    image: text.slice(0, 100),
  });
}
