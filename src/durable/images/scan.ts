/**
 * A scan of the followed images, sliced across alarms: a round (one per cron tick or sync)
 * queues every image name once, however many apps use it; each slice lists as many as its
 * request budget allows and decides for every app on them, so a round of many images stays
 * within a Worker invocation's subrequest limit. An image that fails is recorded with its error
 * and the others go on; a 429 keeps the image out of rounds until its Retry-After has passed.
 */
import { describePolicy } from "../../config/image-policy";
import { TowerError } from "../../errors";
import type { WriteBackResult } from "../../git/write-back";
import type { RegistryClient } from "../../registry/registry-client";
import { decidePin, decideTag } from "./decide-app";
import type { ImageEvent } from "./events";
import type { ImageApp } from "./image-apps";
import type { AppImageRecord, ImageError, ImageRecord, ImageScanState } from "./scan-state";
import { TAGS_KEPT } from "./scan-state";

export interface ScanPorts {
  registry: RegistryClient;
  commitPin(app: ImageApp, next: string, why: string): Promise<WriteBackResult>;
}

export interface ScanBudget {
  /** Registry requests a slice may send (it stops before an image once past this). */
  requests: number;
  /** Pushes a slice may make. */
  commits: number;
}

export const SCAN_BUDGET: ScanBudget = { requests: 300, commits: 5 };

/**
 * Starts a round. Its images are queued by the first slice, from the apps known then: a round
 * asked for before config was read still covers the apps that read finds.
 */
export function startRound(state: ImageScanState, id: string, at: string): ImageScanState {
  return { ...state, round: { id, startedAt: at, pending: null } };
}

/** Every followed image once, those waiting out a 429 left for a later round; records of gone apps dropped. */
function queueRound(state: ImageScanState, apps: ImageApp[], at: string): ImageScanState {
  const names = [...new Set(apps.map((a) => a.image))].sort();
  const ready = names.filter((n) => !state.images[n]?.notBefore || (state.images[n]?.notBefore ?? "") <= at);
  const followed = new Set(apps.map((a) => a.app));
  const keep = <T>(rec: Record<string, T>, has: (k: string) => boolean) =>
    Object.fromEntries(Object.entries(rec).filter(([k]) => has(k)));
  return {
    round: state.round ? { ...state.round, pending: ready } : null,
    images: keep(state.images, (k) => names.includes(k)),
    apps: keep(state.apps, (k) => followed.has(k)),
  };
}

export async function scanSlice(
  input: { state: ImageScanState; apps: ImageApp[]; at: string },
  ports: ScanPorts,
  budget: ScanBudget = SCAN_BUDGET,
): Promise<{ state: ImageScanState; events: ImageEvent[]; more: boolean }> {
  const { at } = input;
  let state: ImageScanState = structuredClone(input.state);
  if (state.round && state.round.pending === null) state = queueRound(state, input.apps, at);
  const events: ImageEvent[] = [];
  let commits = 0;
  const pending = state.round?.pending ?? [];
  if (state.round) state.round.pending = pending;
  while (pending.length > 0 && ports.registry.requests < budget.requests && commits < budget.commits) {
    const image = pending.shift() as string;
    const users = input.apps.filter((a) => a.image === image);
    const { lastTags, ...record } = await listImage(ports.registry, image, state.images[image], at);
    state.images[image] = record;
    const digests = new Map<string, Promise<string>>();
    for (const app of users) {
      const before = state.apps[app.app];
      const base: AppImageRecord = {
        image,
        policy: describePolicy(app.policy),
        pinned: app.pinned,
        chosen: null,
        digest: null,
        why: "",
        status: "error",
        override: before?.override ?? null,
        lastChange: before?.lastChange ?? null,
        error: null,
        checkedAt: at,
      };
      const set = (patch: Partial<AppImageRecord>) => (state.apps[app.app] = { ...base, ...patch });
      if (record.error) {
        set({ why: `the listing failed: ${record.error.message}`, error: record.error });
        continue;
      }
      const tag = decideTag(app, lastTags);
      if (tag.kind !== "resolve") {
        set({ status: tag.kind, why: tag.why });
        continue;
      }
      let digest: string;
      try {
        if (!digests.has(tag.tag))
          digests.set(
            tag.tag,
            ports.registry.resolveDigest(app.ref, tag.tag).then((d) => d.digest),
          );
        digest = await (digests.get(tag.tag) as Promise<string>);
      } catch (err) {
        set({ chosen: tag.tag, why: tag.why, error: asError(err, at) });
        continue;
      }
      const chosen = { chosen: tag.tag, digest, why: tag.why };
      const pin = decidePin(app, tag.tag, digest, before);
      if (pin.kind === "current") {
        set({ ...chosen, status: app.policy.writeBack ? "current" : "deployed-only" });
        continue;
      }
      if (pin.kind === "override") {
        const policy = describePolicy(app.policy);
        events.push({ type: "image.overridden", data: { app: app.app, image: pin.next, pinned: app.pinned, policy } });
        const lastChange = { at, from: before?.override?.image ?? app.pinned, to: pin.next, commit: null };
        set({ ...chosen, status: "deployed-only", override: { pinned: app.pinned, image: pin.next }, lastChange });
        continue;
      }
      commits++;
      try {
        const result = await ports.commitPin(app, pin.next, tag.why);
        if (result.kind === "conflict") {
          const data = { app: app.app, file: app.file, image: pin.next, reason: result.reason };
          events.push({ type: "image.conflict", data });
          set({ ...chosen, status: "conflict", error: { code: "conflict", message: result.reason, at } });
        } else if (result.kind === "pushed") {
          const policy = describePolicy(app.policy);
          const data = {
            app: app.app,
            file: app.file,
            image: pin.next,
            previous: app.pinned,
            commit: result.commit,
            policy,
          };
          events.push({ type: "image.committed", data });
          const lastChange = { at, from: app.pinned, to: pin.next, commit: result.commit };
          set({ ...chosen, status: "committed", lastChange });
        } else set({ ...chosen, status: "committed" });
      } catch (err) {
        set({ ...chosen, error: asError(err, at) });
      }
    }
  }
  if (state.round && pending.length === 0) state.round = null;
  return { state, events, more: state.round !== null };
}

type Listed = ImageRecord & { lastTags: string[] };

async function listImage(registry: RegistryClient, image: string, before: ImageRecord | undefined, at: string) {
  try {
    const list = await registry.listTags(image);
    const record: Listed = {
      lastScan: at,
      tags: list.tags.slice(-TAGS_KEPT),
      tagCount: list.tags.length,
      truncated: list.truncated,
      error: null,
      notBefore: null,
      lastTags: list.tags,
    };
    return record;
  } catch (err) {
    const error = asError(err, at);
    const retryAfterMs = (err as TowerError)?.data?.retryAfterMs;
    const wait = typeof retryAfterMs === "number" ? retryAfterMs : undefined;
    const notBefore = wait === undefined ? null : new Date(Date.parse(at) + wait).toISOString();
    const record: Listed = {
      lastScan: before?.lastScan ?? null,
      tags: before?.tags ?? [],
      tagCount: before?.tagCount ?? 0,
      truncated: before?.truncated ?? false,
      error: { ...error, ...(wait === undefined ? {} : { retryAfterMs: wait }) },
      notBefore,
      lastTags: [],
    };
    return record;
  }
}

function asError(err: unknown, at: string): ImageError {
  if (err instanceof TowerError) return { code: err.code, message: err.message, at };
  return { code: "internal", message: err instanceof Error ? err.message : String(err), at };
}
