/**
 * A registry v2 client for image automation: list an image's tags (`/v2/<name>/tags/list`,
 * paginated by `Link: <…>; rel="next"`) and resolve a tag's digest (HEAD of its manifest, index
 * first, so a multi-arch image resolves to the index digest that every platform shares). One
 * client serves one scan tick: tokens are kept per repository for its lifetime, and it counts
 * the requests it sent. Everything a registry sends is bounded (pages, tags, body bytes, time).
 */
import { readWithin } from "../base/read-within";
import { type Challenge, parseChallenge, tokenUrl } from "./challenge";
import {
  formatImageRef,
  type ImageRef,
  imageName,
  isLoopbackHost,
  parseImageRef,
  registryBaseUrl,
  TAG,
} from "./image-ref";
import { noRegistryCredentials, type RegistryCredentials, type RegistryLogin } from "./registry-credentials";
import { registryError, statusError } from "./registry-error";

export interface RegistryLimits {
  /** Pages of a tag list followed at most. */
  maxPages: number;
  /** Tags kept at most; the rest of a longer list is left out (`truncated`). */
  maxTags: number;
  /** Bytes of one answer (a page of tags, a token). */
  maxBodyBytes: number;
  /** Time for one request. */
  timeoutMs: number;
  /** Page size asked for (`n`); registries may send fewer. */
  pageSize: number;
}

export const REGISTRY_LIMITS: RegistryLimits = {
  maxPages: 20,
  maxTags: 10_000,
  maxBodyBytes: 2 * 1024 * 1024,
  timeoutMs: 10_000,
  pageSize: 1000,
};

export interface RegistryClientOptions {
  credentials?: RegistryCredentials;
  /** Fly's registry: its host and the Fly API token, which goes to no other host. */
  fly?: { host: string; token: string };
  fetch?: typeof fetch;
  now?: () => number;
  limits?: Partial<RegistryLimits>;
}

export interface TagList {
  tags: string[];
  pages: number;
  /** More tags than `maxTags` or pages than `maxPages`: the list is a prefix. */
  truncated: boolean;
  /** Tags dropped for not being tags (too long, bad characters): a registry's junk. */
  skipped: number;
}

export interface ManifestDigest {
  digest: string;
  mediaType: string;
  /** An OCI index or Docker manifest list: the digest covers every platform. */
  multiArch: boolean;
}

const INDEX_TYPES = [
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
];
const MANIFEST_TYPES = [
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.docker.distribution.manifest.v2+json",
];
const DIGEST = /^sha256:[0-9a-f]{64}$/;

/** Registries whose token service lives on another host of the same operator. */
const AUTH_HOSTS: Record<string, string[]> = { "docker.io": ["auth.docker.io"] };

export class RegistryClient {
  readonly #tokens = new Map<string, string>();
  readonly #credentials: RegistryCredentials;
  readonly #fetch: typeof fetch;
  readonly #limits: RegistryLimits;
  readonly #now: () => number;
  /** Requests sent so far (registry and token service). */
  requests = 0;

  constructor(private readonly options: RegistryClientOptions = {}) {
    this.#credentials = options.credentials ?? noRegistryCredentials;
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.#limits = { ...REGISTRY_LIMITS, ...options.limits };
    this.#now = options.now ?? Date.now;
  }

  async listTags(image: string | ImageRef): Promise<TagList> {
    const ref = typeof image === "string" ? parseImageRef(image) : image;
    const name = imageName(ref);
    const base = registryBaseUrl(ref.registry);
    const path = `/v2/${ref.repository}/tags/list`;
    let url = new URL(`${base}${path}?n=${this.#limits.pageSize}`);
    const tags: string[] = [];
    let skipped = 0;
    for (let page = 1; ; page++) {
      const res = await this.#request(ref, url, { method: "GET", headers: { accept: "application/json" } }, "tags");
      const body = await this.#json(name, res);
      const list = (body as { tags?: unknown })?.tags ?? [];
      if (!Array.isArray(list)) throw registryError("registry_error", name, "the tag list is not a list");
      for (const tag of list) {
        if (typeof tag === "string" && TAG.test(tag)) tags.push(tag);
        else skipped++;
      }
      if (tags.length >= this.#limits.maxTags) {
        return { tags: tags.slice(0, this.#limits.maxTags), pages: page, truncated: true, skipped };
      }
      const next = nextLink(res.headers.get("link"), url);
      if (!next) return { tags, pages: page, truncated: false, skipped };
      if (next.origin !== url.origin || next.pathname !== path) {
        throw registryError("registry_error", name, "the tag list's next page points elsewhere; not followed");
      }
      if (page >= this.#limits.maxPages) return { tags, pages: page, truncated: true, skipped };
      url = next;
    }
  }

  async resolveDigest(image: string | ImageRef, tag: string): Promise<ManifestDigest> {
    const ref = typeof image === "string" ? parseImageRef(image) : image;
    const what = `${formatImageRef({ ...ref, tag, digest: undefined })}`;
    const url = new URL(`${registryBaseUrl(ref.registry)}/v2/${ref.repository}/manifests/${encodeURIComponent(tag)}`);
    const accept = [...INDEX_TYPES, ...MANIFEST_TYPES].join(", ");
    const res = await this.#request(ref, url, { method: "HEAD", headers: { accept } }, `tag ${tag}`);
    const mediaType = (res.headers.get("content-type") ?? "").split(";")[0]?.trim() ?? "";
    let digest = res.headers.get("docker-content-digest") ?? "";
    if (!digest) {
      // Not every registry names the digest on HEAD: hash the manifest as sent.
      const got = await this.#request(ref, url, { method: "GET", headers: { accept } }, `tag ${tag}`);
      const bytes = await this.#bytes(imageName(ref), got);
      const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
      digest = `sha256:${Array.from(hash, (b) => b.toString(16).padStart(2, "0")).join("")}`;
    }
    if (!DIGEST.test(digest)) throw registryError("registry_error", what, "the registry gave no usable digest");
    return { digest, mediaType, multiArch: INDEX_TYPES.includes(mediaType) };
  }

  /** One request with the token flow: a 401 challenge is answered once, then the token is kept. */
  async #request(ref: ImageRef, url: URL, init: RequestInit, what: string): Promise<Response> {
    const name = imageName(ref);
    const key = name;
    for (let round = 0; ; round++) {
      const headers = new Headers(init.headers);
      const auth = this.#tokens.get(key);
      if (auth) headers.set("authorization", auth);
      const res = await this.#send(name, url, { ...init, headers });
      if (res.status !== 401 || round > 0) {
        if (res.ok) return res;
        await res.body?.cancel();
        throw statusError(name, res, what, this.#now());
      }
      const challenge = parseChallenge(res.headers.get("www-authenticate"));
      await res.body?.cancel();
      if (!challenge) throw statusError(name, res, what, this.#now());
      this.#tokens.set(key, await this.#authorize(ref, url, challenge));
    }
  }

  async #authorize(ref: ImageRef, url: URL, challenge: Challenge): Promise<string> {
    const name = imageName(ref);
    if (challenge.scheme === "basic") {
      const login = this.#loginFor(ref.registry, url);
      if (!login) throw registryError("unauthorized", name, "the registry wants a login and none is set for its host");
      return basic(login);
    }
    const realm = tokenUrl(challenge, ref.repository);
    if (realm.protocol !== "https:" && !(realm.protocol === "http:" && isLoopbackHost(realm.host))) {
      throw registryError("insecure", name, "the registry's token service is not https");
    }
    const login = this.#loginFor(ref.registry, realm);
    const headers: Record<string, string> = { accept: "application/json" };
    if (login) headers.authorization = basic(login);
    const res = await this.#send(name, realm, { method: "GET", headers }, false);
    if (!res.ok) {
      await res.body?.cancel();
      throw statusError(name, res, "a token", this.#now());
    }
    const body = (await this.#json(name, res)) as { token?: unknown; access_token?: unknown };
    const token = typeof body?.token === "string" ? body.token : body?.access_token;
    if (typeof token !== "string" || token === "" || token.length > 16_384) {
      throw registryError("registry_error", name, "the token service gave no token");
    }
    return `Bearer ${token}`;
  }

  /**
   * The login to send to `to`: Fly's token only to Fly's registry host; a configured login only
   * to its own registry host (or that registry's known token host), over https or loopback.
   */
  #loginFor(registry: string, to: URL): RegistryLogin | undefined {
    const fly = this.options.fly;
    if (fly && registry === fly.host) return to.host === fly.host ? { username: "x", password: fly.token } : undefined;
    const login = this.#credentials.login(registry);
    if (!login) return undefined;
    const secure = to.protocol === "https:" || isLoopbackHost(to.host);
    const sameOperator = to.host === registryBaseUrl(registry).replace(/^https?:\/\//, "") || to.host === registry;
    return secure && (sameOperator || AUTH_HOSTS[registry]?.includes(to.host)) ? login : undefined;
  }

  /** fetch with a deadline; redirects followed within the origin only (a token never travels). */
  async #send(image: string, url: URL, init: RequestInit, followRedirects = true): Promise<Response> {
    let target = url;
    for (let hop = 0; ; hop++) {
      this.requests++;
      let res: Response;
      try {
        res = await this.#fetch(target, {
          ...init,
          redirect: "manual",
          signal: AbortSignal.timeout(this.#limits.timeoutMs),
        });
      } catch (err) {
        const timedOut = (err as { name?: string })?.name === "TimeoutError";
        throw timedOut
          ? registryError("timeout", image, `no answer within ${this.#limits.timeoutMs} ms`)
          : registryError("network", image, `could not reach the registry (${(err as Error)?.message ?? err})`);
      }
      if (![301, 302, 303, 307, 308].includes(res.status)) return res;
      await res.body?.cancel();
      const next = new URL(res.headers.get("location") ?? "", target);
      if (!followRedirects || next.origin !== target.origin || hop >= 3) {
        throw registryError("registry_error", image, `the registry redirected to another host; not followed`);
      }
      target = next;
    }
  }

  async #json(image: string, res: Response): Promise<unknown> {
    const text = new TextDecoder().decode(await this.#bytes(image, res));
    try {
      return JSON.parse(text);
    } catch {
      throw registryError("registry_error", image, "the registry's answer is not JSON");
    }
  }

  async #bytes(image: string, res: Response): Promise<Uint8Array> {
    const max = this.#limits.maxBodyBytes;
    const bytes = await readWithin(res.body, res.headers.get("content-length"), max);
    if (bytes !== null) return bytes;
    await res.body?.cancel().catch(() => {});
    throw registryError("too_large", image, `an answer exceeded the limit of ${max} bytes`);
  }
}

/** RFC 8288 `Link: </v2/…?last=x&n=100>; rel="next"`, resolved against the page's URL. */
function nextLink(header: string | null, current: URL): URL | undefined {
  if (!header || header.length > 4096) return undefined;
  for (const part of header.split(",")) {
    const m = /^\s*<([^>]*)>\s*;(.*)$/.exec(part);
    if (m && /\brel="?next"?/.test(m[2] ?? "")) {
      try {
        return new URL(m[1] ?? "", current);
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

function basic(login: RegistryLogin): string {
  const bytes = new TextEncoder().encode(`${login.username}:${login.password}`);
  return `Basic ${btoa(String.fromCharCode(...bytes))}`;
}
