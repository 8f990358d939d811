/**
 * Promotion waves inside the ProjectDO: CI's announcements, promotions when a wave has earned
 * them, approvals, and the CI gate's fast-forward. The decisions are the pure functions of
 * ../waves; this loads, stores, calls out through WavePorts, and says when to wake next.
 */
import { entryProblem, type ImagesFile } from "../../config/images-file";
import type { WavesConfig } from "../../config/waves";
import { TowerError } from "../../errors";
import { EventSourced } from "../event-sourced";
import type { EventStore } from "../event-store";
import { compactLog, type RetentionClock } from "../retention";
import type { Announcement, PromoteAnswer, WaveAnswer, WavesStatus } from "../waves/api-types";
import { assessWaves, type WaveApp } from "../waves/assess";
import { decide, type WaveCommand } from "../waves/decide";
import type { DecidedWaveEvent, WaveWrite } from "../waves/events";
import { evolve } from "../waves/evolve";
import { initialWavesState, type WavesState } from "../waves/state";
import { readSummary } from "./project-rows";
import type { KnownApp } from "./state";
import type { WavePorts } from "./wave-ports";

export const WAVES_STREAM = "waves";
const CONFIG_ROW = "waves-config";
export const GATE_POLL_MS = 15_000;
/** As the project's own log (project-core.ts): bump `shape` when WavesState or evolve change meaning. */
const SNAPSHOTS = { every: 200, shape: 1 };

export class PromotionWaves {
  private readonly log: EventSourced<WaveCommand, DecidedWaveEvent, WavesState>;

  constructor(
    private readonly store: EventStore,
    private readonly ports: WavePorts,
  ) {
    this.log = new EventSourced(store, WAVES_STREAM, { decide, evolve, initialState: initialWavesState }, SNAPSHOTS);
  }

  load(): void {
    this.log.load();
  }

  /** One slice of the waves log's retention (announcements, promotions older than the window). */
  compact(clock: RetentionClock): number {
    return compactLog(this.log, clock);
  }

  /** From a config evaluation whose root project.yaml could be read. */
  remember(config: WavesConfig | undefined): void {
    this.store.putState(CONFIG_ROW, config ?? null);
  }

  config(): WavesConfig | null {
    return this.store.getState<WavesConfig>(CONFIG_ROW);
  }

  /** Whether the app's deploy outcome can move a wave (so its summary is worth a pass). */
  involves(app: string): boolean {
    return this.config()?.waves.some((w) => w.apps.includes(app)) ?? false;
  }

  status(apps: Record<string, KnownApp>, deployRef: string, now: string): WavesStatus {
    const config = this.config();
    const state = this.log.state;
    const views = config ? assessWaves({ waves: config.waves, apps: this.waveApps(apps), state, now }).views : [];
    const gate = config?.gate
      ? {
          branch: config.gate.branch,
          deployBranch: branchName(deployRef) ?? deployRef,
          waiting: state.gated ? { commit: state.gated.commit, wave: state.gated.wave, since: state.gated.at } : null,
        }
      : null;
    return { waves: views, gate, written: state.written, failures: state.failures };
  }

  /** CI's digests into the first wave's images file: checked, then one commit. */
  async announce(body: Announcement, deployRef: string, now: string): Promise<WaveAnswer> {
    const config = this.config();
    const first = config?.waves[0];
    if (!config || !first) return { ok: false, code: "no_waves", problems: ["the root project.yaml has no waves:"] };
    const problems: string[] = [];
    const services = Object.keys(body.images);
    if (services.length === 0) problems.push('no images: expected {"<service>": {"digest": …, "tag": …}}');
    for (const service of services) {
      const problem = entryProblem(service, body.images[service]);
      if (problem) problems.push(problem);
      else if (!first.services.includes(service))
        problems.push(
          `unknown service ${service}: no app of wave ${first.name} reads it (known: ${first.services.join(", ") || "none"})`,
        );
      else {
        const digest = (body.images[service] as { digest: string }).digest;
        const had = first.images[service]?.digest;
        const repo = (ref: string) => ref.slice(0, ref.lastIndexOf("@"));
        if (had && repo(had) !== repo(digest))
          problems.push(`${service}: digest repo ${repo(digest)} does not match ${repo(had)} in ${first.file}`);
      }
    }
    if (problems.length > 0) return { ok: false, code: "invalid_images", problems };
    const images = body.images as ImagesFile;
    const write: WaveWrite = {
      wave: first.name,
      file: first.file,
      images,
      purpose: { kind: "announce", source: body.source.commit },
    };
    return this.write(write, config, deployRef, now, false);
  }

  /** An admin lets the digests waiting for `wave` in (approve: manual). */
  approve(wave: string, apps: Record<string, KnownApp>, now: string): PromoteAnswer {
    const config = this.config();
    if (!config) return { ok: false, code: "no_waves", problems: ["the root project.yaml has no waves:"] };
    const assessed = assessWaves({ waves: config.waves, apps: this.waveApps(apps), state: this.log.state, now });
    const view = assessed.views.find((v) => v.name === wave);
    if (!view) return { ok: false, code: "not_found", problems: [`no wave ${wave}`] };
    const p = view.promotion;
    if (!p) return { ok: false, code: "not_promotable", problems: [`${wave} is the first wave: CI announces to it`] };
    if (p.state === "current" || p.state === "blocked" || p.state === "rejected")
      return { ok: false, code: "not_promotable", problems: [p.reason] };
    this.log.execute({ type: "approve", wave, images: p.images, at: now });
    return { ok: true, wave, approved: p.images, promotion: p };
  }

  /**
   * One pass: the gate first (a CI verdict, a fast-forward), then a promotion if one is due.
   * `configMoved`: the deploy branch now has a commit of Tower's (read config again).
   */
  async step(apps: Record<string, KnownApp>, deployRef: string, now: string, pollMs = GATE_POLL_MS) {
    const config = this.config();
    if (!config || config.waves.length === 0) return { configMoved: false, wakeMs: null };
    let configMoved = false;
    let wakeMs: number | null = null;
    const gated = this.log.state.gated;
    const deploy = branchName(deployRef);
    if (gated && config.gate && deploy) {
      let ci: Awaited<ReturnType<WavePorts["ciState"]>> = "pending";
      try {
        ci = await this.ports.ciState(gated.commit);
      } catch {
        // A host that does not answer is asked again at the next poll.
      }
      if (ci === "success") {
        if (await this.ports.moveBranch(deploy, gated.parent, gated.commit)) {
          this.log.execute({ type: "record-ci", commit: gated.commit, state: "success", branch: deploy, at: now });
          configMoved = true;
        } else {
          // The deploy branch moved under the gate: the same change again on its new tip (CI again).
          await this.write(gated, config, deployRef, now, true);
          wakeMs = pollMs;
        }
      } else if (ci === "failure" || ci === "error") {
        this.log.execute({ type: "record-ci", commit: gated.commit, state: ci, branch: deploy, at: now });
      } else wakeMs = pollMs;
    }
    const assessed = assessWaves({ waves: config.waves, apps: this.waveApps(apps), state: this.log.state, now });
    if (assessed.due) {
      const answer = await this.write(assessed.due, config, deployRef, now, false);
      if (answer.ok && answer.result === "committed") {
        if (answer.gated) wakeMs = pollMs;
        else configMoved = true;
      }
    }
    const soak = assessed.wakeAt === null ? null : Math.max(0, Date.parse(assessed.wakeAt) - Date.parse(now));
    const next = [wakeMs, soak].filter((n): n is number => n !== null);
    return { configMoved, wakeMs: next.length > 0 ? Math.min(...next) : null };
  }

  /** Pushes one write: to the deploy branch, or with a gate to the gate branch (stacked on a waiting commit). */
  private async write(
    change: WaveWrite,
    config: WavesConfig,
    deployRef: string,
    now: string,
    rebase: boolean,
  ): Promise<WaveAnswer> {
    const deploy = branchName(deployRef);
    if (!deploy)
      return {
        ok: false,
        code: "write_failed",
        problems: [`CONFIG_REF ${deployRef} is not a branch Tower can commit to`],
      };
    const gate = config.gate?.branch;
    const waiting = this.log.state.gated;
    const stack = gate !== undefined && waiting !== null && !rebase;
    const target = gate ? { branch: gate, base: stack ? gate : deploy } : { branch: deploy };
    try {
      const result = await this.ports.write(change, target);
      if (result.kind === "pushed") {
        const parent = stack ? waiting.parent : result.parent;
        const command = {
          type: "record-written",
          write: change,
          commit: result.commit,
          parent,
          branch: target.branch,
          gated: gate !== undefined,
          at: now,
        } as const;
        this.log.execute(command);
        return {
          ok: true,
          wave: change.wave,
          result: "committed",
          commit: result.commit,
          branch: target.branch,
          gated: gate !== undefined,
        };
      }
      if (result.kind === "unchanged")
        return {
          ok: true,
          wave: change.wave,
          result: "unchanged",
          commit: result.tip,
          branch: target.branch,
          gated: false,
        };
      this.log.execute({
        type: "record-write-failed",
        write: change,
        code: "conflict",
        reason: result.reason,
        at: now,
      });
      return { ok: false, code: "write_failed", problems: [result.reason] };
    } catch (error) {
      const code = error instanceof TowerError ? error.code : "internal";
      const reason = error instanceof Error ? error.message : String(error);
      this.log.execute({ type: "record-write-failed", write: change, code, reason, at: now });
      return { ok: false, code: "write_failed", problems: [reason] };
    }
  }

  private waveApps(apps: Record<string, KnownApp>): Record<string, WaveApp> {
    const out: Record<string, WaveApp> = {};
    for (const app of Object.values(apps))
      out[app.name] = {
        name: app.name,
        configHash: app.configHash,
        source: app.source,
        summary: readSummary(this.store, app.name)?.summary ?? null,
      };
    return out;
  }
}

/** `main` or `refs/heads/main` → `main`; a tag or other ref → null (Tower commits to branches only). */
function branchName(ref: string): string | null {
  if (ref.startsWith("refs/heads/")) return ref.slice("refs/heads/".length);
  return ref.startsWith("refs/") ? null : ref;
}
