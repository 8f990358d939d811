/** The AppDO's state: a fold of its events (see evolve.ts). Plain data, rebuilt on every wake. */
import type { AppPin, DeployStep, GateFailure } from "../contract";
import type { Target } from "./events";

export interface DeployRecord extends Target {
  id: string;
  /** 0 for a request that was superseded before it started. */
  release: number;
  outcome: "queued" | "running" | "succeeded" | "failed" | "superseded";
  cause: string;
  force: boolean;
  /**
   * Admin force-sync: every machine restarts with this release, changed or not. A drift re-apply
   * is forced (it deploys an unchanged target) but only changes what differs.
   */
  redeploy: boolean;
  requestedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  timeoutAt: string | null;
  image: string | null;
  planSummary: Record<string, number>;
  steps: DeployStep[];
  error: string | null;
  /** The build of this deploy's image, when it needed one (absent for image sources and reuses). */
  build?: BuildRecord;
  /** Restore or rollback: the deploy whose image and config this one puts back exactly. */
  from?: { deployId: string; image: string };
  /** How it failed, when it did (deploy.failed). */
  failure?: { step: string; reason: string; gate?: GateFailure };
  /** A failed deploy: the restore that followed it. */
  restoredBy?: string;
}

export interface BuildRecord {
  key: string;
  machineId: string;
  builderApp: string;
  /** The tag pushed; after success, the image by digest. */
  image: string;
  startedAt: string;
  outcome: "running" | "finished" | "failed";
  error?: string;
}

/** How the Fly app became Tower's: only a `created` app may be pruned. */
export interface Ownership {
  how: "created" | "adopted";
  at: string;
  deployId: string;
}

export interface AppState {
  /** Seq of the last event folded in: the expected version for the next append. */
  version: number;
  name: string | null;
  org: string | null;
  desired: (Target & { cause: string }) | null;
  /** The target of the last successful deploy. */
  deployed: Target | null;
  lastRelease: number;
  /** Every deploy and request, oldest first. */
  deploys: DeployRecord[];
  /** Id of the deploy waiting to start (at most one: newer desired states replace it). */
  queued: string | null;
  running: string | null;
  destroy: "requested" | "done" | null;
  /** Images built so far by build key (`registry.fly.io/<app>@sha256:…`): a same-key build is skipped. */
  builds: Record<string, string>;
  /** After a rollback: syncs leave the app on this release until a new commit or an unpin. */
  pin: (AppPin & { wanted: { configHash: string; sourceCommit: string | null } | null }) | null;
  /**
   * Null until a deploy finds the app missing (and creates it) or takes an existing one over.
   * Absent in snapshots taken before creation records were kept: read as null.
   */
  ownership?: Ownership | null;
}

export function initialState(): AppState {
  return {
    version: 0,
    name: null,
    org: null,
    desired: null,
    deployed: null,
    lastRelease: 0,
    deploys: [],
    queued: null,
    running: null,
    destroy: null,
    builds: {},
    pin: null,
    ownership: null,
  };
}

/**
 * Whether `target` is new to a pinned app: a config or source commit other than the one wanted
 * when the pin was set (a secrets change or a repeated sync is not).
 */
export function newCommit(state: AppState, target: Target): boolean {
  const wanted = state.pin?.wanted;
  return !wanted || wanted.configHash !== target.configHash || wanted.sourceCommit !== target.sourceCommit;
}

/** The last deploy that succeeded with a known image: what a restore puts back. */
export function lastGood(state: AppState): DeployRecord | null {
  for (let i = state.deploys.length - 1; i >= 0; i--) {
    const d = state.deploys[i]!;
    if (d.outcome === "succeeded" && d.image !== null) return d;
  }
  return null;
}

export function sameTarget(a: Target | null, b: Target | null): boolean {
  if (!a || !b) return a === b;
  return a.configHash === b.configHash && a.sourceCommit === b.sourceCommit && a.secretsDigest === b.secretsDigest;
}

export function findDeploy(state: AppState, id: string | null): DeployRecord | null {
  return id === null ? null : (state.deploys.find((deploy) => deploy.id === id) ?? null);
}

/**
 * The deploy a drift check compares Fly against: the last one to finish, when it succeeded and
 * nothing is running, queued or wanted since. Null otherwise (a failed or pending app has its own
 * way back: the next deploy).
 */
export function driftBase(state: AppState): DeployRecord | null {
  if (state.running !== null || state.queued !== null || state.destroy !== null) return null;
  if (state.deployed === null || !sameTarget(state.desired, state.deployed)) return null;
  const finished = state.deploys.filter((d) => d.outcome === "succeeded" || d.outcome === "failed");
  const last = finished.reduce<DeployRecord | null>(
    (a, b) => (a === null || (b.finishedAt ?? "") >= (a.finishedAt ?? "") ? b : a),
    null,
  );
  return last?.outcome === "succeeded" && last.image !== null ? last : null;
}

/** The image a finished build of `key` produced, if any: the skip rule for builds. */
export function builtImage(state: AppState, key: string): string | null {
  return state.builds[key] ?? null;
}
