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

export class ImageAutomation {
  constructor(
    private readonly store: EventStore,
    private readonly ports: ImagePorts,
  ) {}

  /** Starts a round over every followed image (a new round replaces what is left of the last). */
  startRound(at: string): void {
    writeRow(this.store, "images", startRound(this.state(), `round:${at}`, at));
  }

  /** One slice of the round under way; `more` when images are left for the next alarm. */
  async slice(apps: AppEntry[], at: string): Promise<{ events: ImageEvent[]; more: boolean }> {
    const state = this.state();
    if (!state.round) return { events: [], more: false };
    const followed = followedApps(apps).apps;
    const ports = { registry: this.ports.registry(), commitPin: this.ports.commitPin };
    const result = await scanSlice({ state, apps: followed, at }, ports, SCAN_BUDGET);
    writeRow(this.store, "images", result.state);
    return { events: result.events, more: result.more };
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
