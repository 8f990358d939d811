/**
 * Image automation inside the ProjectDO: rounds of registry scans (started by a cron tick or an
 * admin sync, sliced across alarms), their state in one state row, and the overrides of
 * `write_back: false` apps applied to what the AppDOs are told. The decisions are the pure
 * functions of ../images; this only loads, stores and calls out.
 */
import { configHashOf } from "../../config/hash";
import type { ResolvedApp } from "../../config/resolved-app";
import type { EventStore } from "../event-store";
import { activeOverride } from "../images/decide-app";
import type { ImageEvent } from "../images/events";
import { followedApps } from "../images/image-apps";
import type { ImagePorts } from "../images/image-ports";
import { type ImagesStatus, imagesStatus } from "../images/images-status";
import { SCAN_BUDGET, scanSlice, startRound } from "../images/scan";
import { type ImageScanState, initialScanState } from "../images/scan-state";
import type { AppEntry } from "./events";
import { readRow, writeRow } from "./project-rows";

/** Registry requests kept back for the last image of a slice: a listing page or two, a digest per app. */
const IMAGE_HEADROOM = 10;
/** Subrequests one pin commit costs (the config fetch and the push). */
const COMMIT_COST = 2;

export class ImageAutomation {
  constructor(
    private readonly store: EventStore,
    private readonly ports: ImagePorts,
  ) {}

  /** Starts a round over every followed image (a new round replaces what is left of the last). */
  startRound(at: string): void {
    writeRow(this.store, "images", startRound(this.state(), `round:${at}`, at));
  }

  /**
   * One slice of the round under way, within `subrequests` (what the pass has left); `more` when
   * images are left for the next alarm, `requests` the registry requests it sent.
   */
  async slice(
    apps: AppEntry[],
    at: string,
    subrequests: number,
  ): Promise<{ events: ImageEvent[]; more: boolean; requests: number }> {
    const state = this.state();
    if (!state.round) return { events: [], more: false, requests: 0 };
    const followed = followedApps(apps).apps;
    const registry = this.ports.registry();
    const ports = { registry, commitPin: this.ports.commitPin };
    // A slice stops before an image once past its requests; the headroom is for that last image's
    // listing and digests (more only for a repository with thousands of tags).
    const budget = {
      requests: Math.min(SCAN_BUDGET.requests, subrequests - IMAGE_HEADROOM),
      commits: Math.min(SCAN_BUDGET.commits, Math.floor(subrequests / COMMIT_COST)),
    };
    const result = await scanSlice({ state, apps: followed, at }, ports, budget);
    writeRow(this.store, "images", result.state);
    return { events: result.events, more: result.more, requests: registry.requests };
  }

  /** The app as its AppDO should deploy it: with a `write_back: false` override, that image. */
  effective(app: ResolvedApp): ResolvedApp {
    if (app.source.type !== "image" || !app.source.policy) return app;
    const [followed] = followedApps([app]).apps;
    const image = followed && activeOverride(followed, this.state().apps[app.name]);
    if (!image) return app;
    const source = { ...app.source, image };
    return { ...app, source, configHash: configHashOf({ ...app, source }) };
  }

  status(apps: AppEntry[]): ImagesStatus {
    return imagesStatus(this.state(), followedApps(apps));
  }

  private state(): ImageScanState {
    return readRow(this.store, "images") ?? initialScanState();
  }
}
