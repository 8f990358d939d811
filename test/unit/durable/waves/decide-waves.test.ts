// The waves decider without workerd: given the waves, each app's summary, the log state and
// the time, when is a promotion due, what would it write, and why is it waiting otherwise.
import { describe, expect, it } from "vitest";
import type { ImagesFile } from "../../../../src/config/images-file";
import type { ResolvedWave } from "../../../../src/config/waves";
import type { AppSummary } from "../../../../src/durable/contract";
import { assessWaves, type WaveApp } from "../../../../src/durable/waves/assess";
import { decide } from "../../../../src/durable/waves/decide";
import type { DecidedWaveEvent, WaveWrite } from "../../../../src/durable/waves/events";
import { evolve } from "../../../../src/durable/waves/evolve";
import { imagesCommit } from "../../../../src/durable/waves/images-commit";
import { initialWavesState, type WavesState } from "../../../../src/durable/waves/state";

const sha = (c: string) => `sha256:${c.repeat(64)}`;
const api1 = { digest: `ghcr.io/acme/api@${sha("1")}`, tag: "ghcr.io/acme/api:1.0.0" };
const api2 = { digest: `ghcr.io/acme/api@${sha("2")}`, tag: "ghcr.io/acme/api:1.1.0" };
const T0 = "2026-11-30T01:00:00.000Z";
const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();

const wave = (name: string, apps: string[], images: ImagesFile, extra: Partial<ResolvedWave> = {}): ResolvedWave => ({
  name,
  apps,
  waiting: [],
  services: ["api"],
  file: `images/${name}.json`,
  images,
  soakMs: 0,
  approve: "auto",
  ...extra,
});

function app(name: string, file: string, s: Partial<AppSummary> | null, hash = `h-${name}`): WaveApp {
  const summary: AppSummary | null = s && {
    name,
    org: "personal",
    status: "synced",
    desired: { configHash: hash, sourceCommit: null },
    deployed: { configHash: hash, sourceCommit: null },
    lastDeploy: {
      id: `d-${name}`,
      release: 2,
      outcome: "succeeded",
      cause: "config",
      configHash: hash,
      sourceCommit: null,
      startedAt: at(0),
      finishedAt: at(1),
      image: null,
    },
    failure: null,
    pin: null,
    ...s,
  };
  return { name, configHash: hash, source: { type: "image", image: "x", from: { file, service: "api" } }, summary };
}

const apply = (state: WavesState, events: DecidedWaveEvent[]) =>
  events.reduce((s, e) => evolve(s, { ...e, seq: s.version + 1 }, s.version + 1), state);

describe("assessWaves", () => {
  const waves = [
    wave("staging", ["stg"], { api: api2 }),
    wave("production", ["prod"], { api: api1 }, { soakMs: 600_000 }),
  ];

  it("promotes the digests staging runs once it is healthy and the soak has passed", () => {
    const apps = { stg: app("stg", "images/staging.json", {}), prod: app("prod", "images/production.json", {}) };
    const soaking = assessWaves({ waves, apps, state: initialWavesState(), now: at(5) });
    expect(soaking.due).toBeNull();
    expect(soaking.views[1]!.promotion).toMatchObject({ state: "soaking", notBefore: at(11), images: { api: api2 } });
    expect(soaking.wakeAt).toBe(at(11));

    const after = assessWaves({ waves, apps, state: initialWavesState(), now: at(11) });
    expect(after.due).toEqual({
      wave: "production",
      file: "images/production.json",
      images: { api: api2 },
      purpose: { kind: "promote", from: "staging", deploys: ["stg d-stg (release 2)"] },
    });
  });

  it("a failed staging deploy blocks promotion and says why", () => {
    const failure = { deployId: "d-9", step: "smoke", reason: "machine crashed" };
    const apps = {
      stg: app("stg", "images/staging.json", { status: "failed", failure }),
      prod: app("prod", "images/production.json", {}),
    };
    const result = assessWaves({ waves, apps, state: initialWavesState(), now: at(60) });
    expect(result.due).toBeNull();
    expect(result.views[0]!.health).toEqual({
      status: "failed",
      reason: "stg: deploy d-9 failed at smoke: machine crashed",
    });
    expect(result.views[1]!.promotion).toMatchObject({
      state: "blocked",
      reason: "staging failed: stg: deploy d-9 failed at smoke: machine crashed",
    });
  });

  it("waits while an app has not taken the new config, and when the next wave has the digests already", () => {
    const stale = { stg: app("stg", "images/staging.json", { desired: { configHash: "old", sourceCommit: null } }) };
    expect(
      assessWaves({ waves, apps: stale, state: initialWavesState(), now: at(60) }).views[1]!.promotion,
    ).toMatchObject({
      state: "waiting",
      reason: "staging: stg has not taken the config yet",
    });
    const same = [wave("staging", ["stg"], { api: api1 }), wave("production", ["prod"], { api: api1 })];
    const apps = { stg: app("stg", "images/staging.json", {}) };
    expect(
      assessWaves({ waves: same, apps, state: initialWavesState(), now: at(60) }).views[1]!.promotion,
    ).toMatchObject({
      state: "current",
      images: {},
    });
  });

  it("approve: manual waits for an approval of exactly these digests", () => {
    const manual = [wave("staging", ["stg"], { api: api2 }), wave("production", ["prod"], {}, { approve: "manual" })];
    const apps = { stg: app("stg", "images/staging.json", {}) };
    let state = initialWavesState();
    expect(assessWaves({ waves: manual, apps, state, now: at(5) }).views[1]!.promotion!.state).toBe("approval");
    state = apply(state, decide({ type: "approve", wave: "production", images: { api: api1 }, at: at(5) }, state));
    expect(assessWaves({ waves: manual, apps, state, now: at(5) }).due).toBeNull();
    state = apply(state, decide({ type: "approve", wave: "production", images: { api: api2 }, at: at(6) }, state));
    expect(assessWaves({ waves: manual, apps, state, now: at(6) }).due?.images).toEqual({ api: api2 });
  });

  it("promotes a built app's image, not a rebuild", () => {
    const built: WaveApp = {
      ...app("stg", "", {
        lastDeploy: {
          ...(app("stg", "", {}).summary!.lastDeploy as NonNullable<AppSummary["lastDeploy"]>),
          image: `registry.fly.io/stg@${sha("a")}`,
        },
      }),
      source: { type: "local", path: "api", service: "api" },
    };
    const result = assessWaves({
      waves: [wave("staging", ["stg"], {}), wave("production", ["prod"], {})],
      apps: { stg: built },
      state: initialWavesState(),
      now: at(5),
    });
    expect(result.due?.images).toEqual({ api: { digest: `registry.fly.io/stg@${sha("a")}` } });
  });
});

describe("the waves log", () => {
  const write: WaveWrite = {
    wave: "production",
    file: "images/production.json",
    images: { api: api2 },
    purpose: { kind: "promote", from: "staging", deploys: [] },
  };
  const waves = [wave("staging", ["stg"], { api: api2 }), wave("production", ["prod"], { api: api1 })];
  const apps = { stg: app("stg", "images/staging.json", {}) };

  it("a gated commit holds every promotion until CI says success; a failure is not retried with the same digests", () => {
    let state = initialWavesState();
    const written = {
      type: "record-written",
      write,
      commit: "c".repeat(40),
      parent: "p".repeat(40),
      branch: "auto",
      gated: true,
      at: at(1),
    } as const;
    state = apply(state, decide(written, state));
    expect(state.gated).toMatchObject({ commit: "c".repeat(40), parent: "p".repeat(40), wave: "production" });
    expect(assessWaves({ waves, apps, state, now: at(2) }).views[1]!.promotion!.state).toBe("gated");
    // A verdict on another commit changes nothing.
    expect(
      decide({ type: "record-ci", commit: "d".repeat(40), state: "success", branch: "main", at: at(2) }, state),
    ).toEqual([]);
    const failed = apply(
      state,
      decide({ type: "record-ci", commit: "c".repeat(40), state: "failure", branch: "main", at: at(3) }, state),
    );
    expect(failed.gated).toBeNull();
    expect(assessWaves({ waves, apps, state: failed, now: at(4) }).views[1]!.promotion).toMatchObject({
      state: "rejected",
    });
    const passed = apply(
      state,
      decide({ type: "record-ci", commit: "c".repeat(40), state: "success", branch: "main", at: at(3) }, state),
    );
    expect(passed.gated).toBeNull();
    expect(passed.written.production).toMatchObject({ commit: "c".repeat(40), gated: true });
  });

  it("a failed write is recorded once and retried after a pause", () => {
    let state = initialWavesState();
    const failedOnce = { type: "record-write-failed", write, code: "push_race", reason: "moved", at: at(1) } as const;
    state = apply(state, decide(failedOnce, state));
    expect(decide({ ...failedOnce, at: at(2) }, state)).toEqual([]);
    expect(assessWaves({ waves, apps, state, now: at(1.5) }).views[1]!.promotion).toMatchObject({
      state: "retry",
      notBefore: at(2),
    });
    expect(assessWaves({ waves, apps, state, now: at(2) }).due).not.toBeNull();
  });
});

describe("imagesCommit", () => {
  it("writes the entries over the file's, with trailers; the same digests again change nothing", () => {
    const web = { digest: `ghcr.io/acme/web@${sha("3")}` };
    const text = `${JSON.stringify({ web, api: api1 }, null, 2)}\n`;
    const write: WaveWrite = {
      wave: "production",
      file: "images/production.json",
      images: { api: api2 },
      purpose: { kind: "promote", from: "staging", deploys: ["stg d-1 (release 2)"] },
    };
    const decision = imagesCommit(write, text);
    expect(decision).toEqual({
      kind: "commit",
      changes: { "images/production.json": `${JSON.stringify({ api: api2, web }, null, 2)}\n` },
      message: {
        subject: "images: promote staging → production (api 1.1.0)",
        body: "Every app of staging deployed these digests and stayed healthy.",
        trailers: [
          ["Tower-Images", `api=${api2.digest}`],
          ["Tower-Promoted-From", "staging"],
          ["Tower-Deploy", "stg d-1 (release 2)"],
        ],
      },
    });
    expect(imagesCommit(write, `${JSON.stringify({ api: api2 })}`)).toEqual({ kind: "unchanged" });
    expect(imagesCommit(write, "{oops")).toMatchObject({ kind: "conflict" });
  });
});
