/**
 * The ProjectDO's logic with its I/O behind ports: replays the log into state, turns commands
 * into appended events, and runs one sync pass (route pushes, list refs, read config, notify).
 */
import type { Diagnostic, ResolvedApp } from "../../config/resolved-app";
import { normaliseRepoUrl } from "../../git/repo-url";
import type { StoredEvent } from "../contract";
import { EventSourced } from "../event-sourced";
import type { EventStore } from "../event-store";
import { compactLog, type RetentionClock } from "../retention";
import { type ConfigTarget, decide, type ProjectCommand, type RefListings } from "./decide";
import type { DecidedEvent } from "./events";
import { evolve } from "./evolve";
import { ImageAutomation } from "./image-automation";
import { type ConfigCommit, deliverOutbox } from "./outbox";
import { mapLimit, type ProjectPorts, type ProjectSettings, type RecordedEvaluation } from "./ports";
import { previewHeadRef, previewingApps, pullHead, pullHeadRef } from "./previews";
import { readResolved, readRow, type TickProgress, writeResolved, writeRow } from "./project-rows";
import { configRefName, gitSource, type WatchedRepo } from "./repo-index";
import { initialState, type ProjectState } from "./state";
import {
  configMoved,
  evaluationPending,
  inTurn,
  pushPlan,
  reposToResolve,
  selfHealing,
  sourceVersion,
  tickPlan,
} from "./sync-planner";

export const STREAM = "project";
/**
 * A snapshot every this many events, so a wake folds fewer than that however long the log (and
 * retention may drop what one covers). Bump `shape` when ProjectState or evolve change meaning.
 */
const SNAPSHOTS = { every: 200, shape: 1 };
/** At most this many git requests in flight at once. */
const PARALLEL = 6;
/** Subrequests one invocation (the cron's RPC or one alarm) may make: Workers Free's 50 (Paid 1,000). */
export const SUBREQUEST_BUDGET = 50;
/**
 * Ref listings one invocation may make: 40 leave room for the config fetch and a few AppDO calls
 * in the same invocation. A tick over more repos goes on in the next alarm.
 */
export const LISTINGS_PER_SLICE = 40;
/** What routing pull requests and telling apps may spend of a pass, the rest kept for what follows. */
const ROUTE_AND_TELL = LISTINGS_PER_SLICE;
/**
 * Pull request listings in one pass at most: half of ROUTE_AND_TELL. Anyone holding a webhook
 * secret can send pull request events without end, and this ProjectDO serves every project: the
 * rest of each pass (the config, telling apps) must still get its share.
 */
const PULL_LISTINGS_PER_PASS = ROUTE_AND_TELL / 2;

export class ProjectCore {
  private readonly log: EventSourced<ProjectCommand, DecidedEvent, ProjectState>;
  /** The evaluator's reusable results; in memory only, so a fresh instance re-reads everything. */
  private cache: unknown = undefined;
  private readonly ports: ProjectPorts;
  /** Subrequests (git HTTP requests, AppDO calls) made since `sync` began: one invocation's count. */
  private subrequests = 0;
  readonly images: ImageAutomation;
  /** Set once by the DO: keeps the root project's notify targets and git hosts. */
  rememberFeedback: ((feedback: NonNullable<RecordedEvaluation["feedback"]>) => void) | null = null;
  /** Set once by the DO: keeps the root project's promotion waves. */
  rememberWaves: ((waves: RecordedEvaluation["waves"]) => void) | null = null;

  constructor(
    readonly store: EventStore,
    ports: ProjectPorts,
  ) {
    this.log = new EventSourced(store, STREAM, { decide, evolve, initialState }, SNAPSHOTS);
    this.ports = countedPorts(ports, (n) => {
      this.subrequests += n;
    });
    this.images = new ImageAutomation(store, this.ports);
  }

  get state(): ProjectState {
    return this.log.state;
  }

  /** Set once by the DO: feedback is enqueued here, in the same synchronous block as the events. */
  set observer(observer: ((events: DecidedEvent[]) => void) | null) {
    this.log.observer = observer;
  }

  /** Creates the tables and replays the log; call inside `blockConcurrencyWhile`. */
  load(): void {
    this.log.load();
  }

  /** One slice of the log's retention (pushes, evaluations, desired states older than the window). */
  compact(clock: RetentionClock): number {
    return compactLog(this.log, clock);
  }

  /** Decides, appends (with the expected version) and folds in what was new: the shared shell. */
  apply(command: ProjectCommand): { duplicate: boolean; events: StoredEvent[] } {
    const { duplicate, stored } = this.log.execute(command);
    return { duplicate, events: stored };
  }

  /**
   * One pass: route the inbox, list refs on a tick, re-read config when wanted, notify apps.
   * Returns the delay before a retry when some app could not be told, else null.
   */
  async sync(settings: ProjectSettings, now: () => string, tick: boolean): Promise<number | null> {
    this.subrequests = 0;
    try {
      return await this.pass(settings, now, tick);
    } finally {
      if (this.subrequests > (readRow(this.store, "max-pass-subrequests") ?? 0))
        writeRow(this.store, "max-pass-subrequests", this.subrequests);
    }
  }

  private async pass(settings: ProjectSettings, now: () => string, tick: boolean): Promise<number | null> {
    if (!settings.repo) return null;
    const target = { ...configTarget(settings), url: settings.repo };
    const pushesLeft = await this.routePushes(target, now);
    let moved: string | null = null;
    let progress = readRow(this.store, "tick");
    // A cron tick while an earlier one is still under way goes on with that one.
    if (tick && !progress) progress = this.startTick(target, now());
    // True in the invocation that lists the tick's last repos: drift checks and image rounds start.
    let ticked = false;
    if (progress && progress.pending.length > 0) {
      progress = await this.listSlice(progress, target);
      if (progress.pending.length > 0) {
        writeRow(this.store, "tick", this.invocationDone(progress));
        return 0;
      }
      this.apply({ type: "record-refs", refs: progress.refs, cause: progress.cause, at: progress.at });
      moved = configMoved(this.state, progress.refs, target);
      ticked = true;
    }
    const refs: RefListings = progress?.refs ?? {};
    const pullsLeft = await this.routePulls(now);
    if (ticked) await this.checkPreviews(now);
    const wanted = this.state.wanted;
    // Work that did not fit this invocation's subrequests: it goes on in the next alarm.
    let more = false;
    if (wanted || moved || evaluationPending(this.state))
      more = await this.readConfig(
        settings,
        now,
        wanted?.cause ?? `${moved ? "tick" : "initial"}:${now()}`,
        wanted?.force ?? false,
        refs,
      );
    const config = { url: settings.repo, commit: this.state.config.lastEvaluation?.commit ?? null };
    let retry = await this.deliver(config, now);
    // A delivery that ran out of budget answers 0: the rest goes on in the next alarm.
    more ||= retry === 0;
    const driftLeft = await this.checkDrift(ticked);
    if (ticked) this.images.startRound(now());
    const scan = await this.images.slice(Object.values(this.state.apps), now(), this.budget());
    this.subrequests += scan.requests;
    for (const event of scan.events) this.apply({ type: "record-image", event, at: now() });
    if (scan.events.some((e) => e.type !== "image.conflict")) {
      // A pin committed (or an override set) deploys now, the normal way: read config again.
      more = (await this.readConfig(settings, now, `image:${now()}`, false, refs)) || more;
      const after = { url: settings.repo, commit: this.state.config.lastEvaluation?.commit ?? null };
      retry = await this.deliver(after, now);
      more ||= retry === 0;
    }
    if (progress) {
      // A tick is everything its cron started: listings, evaluation and telling the apps.
      progress = this.invocationDone(progress);
      if (more) writeRow(this.store, "tick", progress);
      else {
        const { at, slices, maxSubrequests } = progress;
        writeRow(this.store, "tick", null);
        const repos = Object.keys(refs).length;
        writeRow(this.store, "last-tick", { at, finishedAt: now(), repos, slices, maxSubrequests });
      }
    }
    // Images left in the round, pull requests left unrouted, or parts that did not fit this
    // invocation go on at the next alarm, right away.
    return scan.more || pullsLeft || pushesLeft || driftLeft || more ? 0 : retry;
  }

  /** Subrequests this pass may still spend on routing, listings for an evaluation and telling apps. */
  private budget(): number {
    return Math.max(0, ROUTE_AND_TELL - this.subrequests);
  }

  /** The tick's progress with this invocation counted: one more slice, and its subrequests. */
  private invocationDone(progress: TickProgress): TickProgress {
    const maxSubrequests = Math.max(progress.maxSubrequests, this.subrequests);
    return { ...progress, slices: progress.slices + 1, maxSubrequests };
  }

  /** The outbox, within what is left of this pass's subrequest budget. */
  private deliver(config: ConfigCommit, now: () => string): Promise<number | null> {
    const previews = Object.values(this.state.previews);
    const budget = this.budget();
    return deliverOutbox(this.store, STREAM, this.ports, { parallel: PARALLEL, budget, previews, now: now(), config });
  }

  private startTick(target: ConfigTarget & { url: string }, at: string): TickProgress {
    const pending = [...tickPlan(this.state, target).keys()];
    return { cause: `tick:${at}`, at, pending, refs: {}, slices: 0, maxSubrequests: 0 };
  }

  /** Lists the tick's next repos (as the index knows them now), as many as this pass has budget for. */
  private async listSlice(progress: TickProgress, target: ConfigTarget & { url: string }): Promise<TickProgress> {
    const plan = tickPlan(this.state, target);
    const count = Math.min(LISTINGS_PER_SLICE, this.budget());
    const batch = progress.pending.slice(0, count);
    const repos = new Map(batch.flatMap((key) => (plan.has(key) ? [[key, plan.get(key)!] as const] : [])));
    const listed = await this.listAll(repos);
    return { ...progress, pending: progress.pending.slice(count), refs: { ...progress.refs, ...listed } };
  }

  /**
   * Routes the inbox. Each pushed repo Tower watches is listed once (pushes of it coalesce), as
   * many as this pass has budget for; pushes of repos past that stay in the inbox for the next
   * alarm (answers true then). Pushes needing no listing (unwatched repos) are routed at once.
   */
  private async routePushes(target: ConfigTarget & { url: string }, now: () => string): Promise<boolean> {
    const inbox = [...this.state.inbox];
    if (inbox.length === 0) return false;
    const plan = pushPlan(this.state, inbox, target);
    const batch = new Map([...plan].slice(0, this.budget()));
    const listed = await this.listAll(batch);
    let left = false;
    for (const push of inbox) {
      if (plan.has(push.repo) && !batch.has(push.repo)) left = true;
      else this.apply({ type: "route-push", push, config: target, refs: listed, at: now() });
    }
    return left;
  }

  /**
   * Routes recorded pull request events. The head comes from listing its head ref (pullHeadRef) on the
   * base repo, not from the payload; a repo that cannot be listed keeps the event for the next pass.
   * Returns whether some wait for the next pass (this one's budget was spent).
   */
  private async routePulls(now: () => string): Promise<boolean> {
    let listings = 0;
    for (const pull of [...this.state.pulls]) {
      // A burst of pull requests is routed over several alarms: one listing each.
      if (this.budget() === 0 || listings >= PULL_LISTINGS_PER_PASS) return true;
      const source = previewingApps(this.state, pull.repo).map(gitSource)[0];
      let head: string | null = null;
      let fork = pull.fork;
      if (source && pull.action === "open") {
        listings++;
        try {
          const ref = pullHeadRef(pull.provider, pull.number);
          // The payload's "same repo" is not trusted: the listing's branches decide (pullHead).
          const listed = await this.ports.listRefs(source.url, fork ? [ref] : [ref, "refs/heads/"]);
          ({ head, fork } = pullHead(listed, ref, fork));
        } catch {
          continue;
        }
      }
      this.apply({ type: "route-pull", pull: { ...pull, fork }, head, at: now() });
    }
    return false;
  }

  /**
   * Cron catch-up for previews: one ref listing per repo with live previews, as many repos as the
   * pass has budget for, going on after the last repo checked (the `previews-checked` row), so
   * every repo's turn comes. A repo not listed this tick keeps its previews as they are; `ttl`
   * and a dropped `previews` section are applied to all of them either way.
   */
  private async checkPreviews(now: () => string): Promise<void> {
    const previews = Object.values(this.state.previews);
    if (previews.length === 0) return;
    const repos = new Map<string, WatchedRepo>();
    for (const preview of previews) {
      const source = this.state.apps[preview.of] && gitSource(this.state.apps[preview.of]!);
      if (!source) continue;
      const repo = repos.get(preview.repo) ?? { url: source.url, refs: [] };
      repo.refs.push(previewHeadRef(preview));
      repos.set(preview.repo, repo);
    }
    const turn = inTurn([...repos.keys()], readRow(this.store, "previews-checked"), this.budget());
    if (turn.length > 0) writeRow(this.store, "previews-checked", turn.at(-1)!);
    const listed = await this.listAll(new Map(turn.map((key) => [key, repos.get(key)!])));
    const at = now();
    this.apply({ type: "check-previews", refs: listed, cause: `tick:${at}`, at });
  }

  /**
   * Self-healing apps check Fly for drift once per tick: the tick that finished its listings starts
   * a round (the `drift` row: the apps still to ask); each pass asks as many as its budget allows,
   * at most PARALLEL at once. A check that fails waits for the next tick. Answers whether some are
   * left for the next alarm.
   */
  private async checkDrift(ticked: boolean): Promise<boolean> {
    const pending = ticked ? selfHealing(this.state) : (readRow(this.store, "drift") ?? []);
    if (pending.length === 0) return false;
    const count = this.budget();
    writeRow(this.store, "drift", pending.length > count ? pending.slice(count) : null);
    await mapLimit(pending.slice(0, count), PARALLEL, async (name) => {
      try {
        await this.ports.checkDrift(name, "drift");
      } catch {
        // Nothing to record: a check that cannot run changes nothing, and the next tick looks again.
      }
    });
    return pending.length > count;
  }

  /**
   * Fetches and evaluates the config commit and records the evaluation. The ref listings of repos it
   * newly follows are spread over invocations (the `resolve` row keeps what is listed so far and
   * the cause, so the commit's fetch is logged once); returns true when some are left for the next.
   */
  private async readConfig(
    settings: ProjectSettings,
    now: () => string,
    fresh: string,
    force: boolean,
    known: RefListings,
  ): Promise<boolean> {
    let cause = fresh;
    const failed = (stage: "fetch" | "evaluate", commit: string | null, error: unknown) => {
      const errors = [problem(error)];
      const { events } = this.apply({ type: "record-failure", stage, commit, errors, cause, at: now() });
      // A repeat of the logged failure only moves this row: the log does not grow with time.
      if (events.length === 0) writeRow(this.store, "config-failure", { at: now(), stage, commit, cause, errors });
      if (readRow(this.store, "resolve")) writeRow(this.store, "resolve", null);
      return false;
    };
    let snapshot: Awaited<ReturnType<ProjectPorts["fetchConfig"]>>;
    try {
      snapshot = await this.ports.fetchConfig(settings.repo, configRefName(settings.ref));
    } catch (error) {
      return failed("fetch", null, error);
    }
    // The same commit's evaluation going on from an earlier invocation keeps that one's cause.
    const carried = readRow(this.store, "resolve");
    const prior = carried?.commit === snapshot.commit ? carried : null;
    cause = prior?.cause ?? fresh;
    this.apply({ type: "record-fetch", commit: snapshot.commit, ref: configRefName(settings.ref), cause, at: now() });
    let evaluation: Awaited<ReturnType<ProjectPorts["evaluate"]>>;
    try {
      evaluation = await this.ports.evaluate(snapshot, this.cache);
    } catch (error) {
      return failed("evaluate", snapshot.commit, error);
    }
    this.cache = evaluation.cache;
    const tried = new Set(prior?.tried ?? []);
    const before = { ...known, ...prior?.refs };
    const needed = [...reposToResolve(evaluation.apps, this.state, before)].filter(([key]) => !tried.has(key));
    const batch = needed.slice(0, this.budget());
    const listed = await this.listAll(new Map(batch));
    if (batch.length < needed.length) {
      const keys = [...tried, ...batch.map(([key]) => key)];
      writeRow(this.store, "resolve", {
        commit: snapshot.commit,
        cause,
        tried: keys,
        refs: { ...prior?.refs, ...listed },
      });
      return true;
    }
    if (carried) writeRow(this.store, "resolve", null);
    const refs = { ...before, ...listed };
    const apps = await mapLimit(evaluation.apps, PARALLEL, async (app) => {
      const tree = app.source.type === "local" ? await snapshot.treeId(app.source.path) : undefined;
      const version = sourceVersion(app, this.state.apps[app.name], refs, {
        commit: snapshot.commit,
        sourceTree: tree,
      });
      const heal = app.selfHeal ? { selfHeal: true } : {};
      // The config hash is of what deploys (a write_back: false override included); the source stays git's.
      const configHash = this.images.effective(app).configHash;
      const p = app.previews;
      const previews = p
        ? {
            previews: {
              forks: p.forks,
              ttlHours: p.ttlHours,
              name: p.name,
              max: p.max,
              ...(p.allow ? { allow: p.allow } : {}),
            },
          }
        : {};
      const { name, org, file, source } = app;
      return { name, org, configHash, file, source, ...version, ...heal, ...previews };
    });
    for (const app of evaluation.apps) this.keepResolved(this.images.effective(app));
    const { errors, warnings, prune } = evaluation;
    if (evaluation.feedback) this.rememberFeedback?.(evaluation.feedback);
    // A readable root project.yaml without waves: ends them; an unreadable one keeps the last.
    if (evaluation.feedback) this.rememberWaves?.(evaluation.waves);
    const at = now();
    this.apply({ type: "record-evaluation", commit: snapshot.commit, cause, force, prune, apps, errors, warnings, at });
    return false;
  }

  /** Resolved apps (with raw test secrets) stay in the state table, never in the log. */
  private keepResolved(app: ResolvedApp): void {
    if (JSON.stringify(readResolved(this.store, app.name)) !== JSON.stringify(app)) writeResolved(this.store, app);
  }

  /** Lists each repo once, at most PARALLEL at a time; a repo that fails is left out (nothing moves). */
  private async listAll(repos: Map<string, WatchedRepo>): Promise<RefListings> {
    const entries = [...repos.entries()];
    const listed = await mapLimit(entries, PARALLEL, async ([key, repo]) => {
      try {
        return [key, await this.ports.listRefs(repo.url, repo.refs)] as const;
      } catch {
        return [key, null] as const;
      }
    });
    return Object.fromEntries(listed.filter((entry) => entry[1] !== null));
  }
}

export function configTarget(settings: ProjectSettings): ConfigTarget {
  return { repo: normaliseRepoUrl(settings.repo), ref: configRefName(settings.ref) };
}

/** An error as a config problem: the place when it names one, the message always. */
function problem(error: unknown): Omit<Diagnostic, "severity"> {
  const data = (error as { data?: Record<string, unknown> }).data ?? {};
  const message = error instanceof Error ? error.message : String(error);
  const at = (name: string) => (typeof data[name] === "number" ? (data[name] as number) : 0);
  return { file: typeof data.file === "string" ? data.file : "", line: at("line"), col: at("col"), message };
}

/**
 * The ports, counting the subrequests each call makes: a ref listing is one HTTP request; a config
 * fetch two (the ref advertisement and the pack); an AppDO call one. Evaluation's own fetches of
 * app repos (`openRepo`) are not counted here: they happen only when config moved.
 */
function countedPorts(ports: ProjectPorts, count: (n: number) => void): ProjectPorts {
  const counted =
    <A extends unknown[], R>(n: number, call: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> => {
      count(n);
      return call(...args);
    };
  return {
    listRefs: counted(1, (url, prefixes) => ports.listRefs(url, prefixes)),
    fetchConfig: counted(2, (url, ref) => ports.fetchConfig(url, ref)),
    evaluate: (snapshot, previous) => ports.evaluate(snapshot, previous),
    desire: counted(1, (notice) => ports.desire(notice)),
    destroy: counted(1, (app, cause) => ports.destroy(app, cause)),
    checkDrift: counted(1, (app, cause) => ports.checkDrift(app, cause)),
    summary: counted(1, (app) => ports.summary(app)),
    // An image scan counts its own registry requests (ImageAutomation.slice), within the pass's budget.
    get registry() {
      return ports.registry;
    },
    commitPin: counted(2, (app, next, why) => ports.commitPin(app, next, why)),
  };
}
