/**
 * What benches may do to an AppDO that no caller in production can: give it a long history of
 * real deploys (desired → started → steps → planned → succeeded, through `decide` like any other
 * command) to measure wakes and storage at scale. Refused unless `TEST_HOOKS` is "true".
 */
import type { AppLog } from "./app-log";

const STEPS = ["ensure-app", "secrets", "plan", "create", "update", "health", "cleanup"];

/** Appends `deploys` more finished deploys of app `name`, one second apart from `from` on. */
export function seedHistory(log: AppLog, name: string, deploys: number, from: number): number {
  const start = log.state.lastRelease;
  for (let i = 1; i <= deploys; i++) {
    const n = start + i;
    const t = (k: number) => new Date(from + n * 1_000 + k).toISOString();
    const deployId = `seed-${n}`;
    const target = { configHash: `sha256:${n}`, sourceCommit: null, secretsDigest: "sha256:none" };
    log.execute({
      type: "desire",
      at: t(0),
      key: `seed:${n}`,
      deployId,
      app: name,
      org: "personal",
      target,
      cause: `seed:${n}`,
    });
    log.execute({ type: "tick", at: t(1), timeoutMs: 60_000 });
    for (const [k, step] of STEPS.entries()) {
      const at = t(2 + k);
      log.execute({
        type: "record-step",
        at,
        deployId,
        step: { name: step, outcome: "done", startedAt: at, finishedAt: at },
      });
    }
    log.execute({
      type: "record-plan",
      at: t(20),
      deployId,
      image: "registry.fly.io/seed@sha256:00",
      planSummary: { update: 1 },
    });
    log.execute({ type: "succeed", at: t(21), deployId });
  }
  return log.state.version;
}
