/**
 * What one app's policy makes of its image's tag list (pure). First the tag: suspended, no tag
 * fits, or a tag to resolve. Then, with the tag's digest: already pinned (or already deployed
 * from an override), or a change — a commit of the new pin, or with `write_back: false` an
 * override deployed without one.
 */
import { chooseTag } from "./choose-tag";
import { type ImageApp, repin } from "./image-apps";
import type { AppImageRecord } from "./scan-state";

export type TagDecision =
  | { kind: "suspended"; why: string }
  | { kind: "no-fit"; why: string }
  | { kind: "resolve"; tag: string; why: string };

export function decideTag(app: ImageApp, tags: readonly string[]): TagDecision {
  if (app.policy.suspend) return { kind: "suspended", why: `suspended: stays at ${app.pinned}` };
  const choice = chooseTag(app.policy, tags);
  if (!choice.tag) return { kind: "no-fit", why: choice.why };
  return { kind: "resolve", tag: choice.tag, why: choice.why };
}

export type PinDecision = { kind: "current" } | { kind: "commit"; next: string } | { kind: "override"; next: string };

export function decidePin(app: ImageApp, tag: string, digest: string, before: AppImageRecord | undefined): PinDecision {
  if (app.ref.tag === tag && app.ref.digest === digest) return { kind: "current" };
  const next = repin(app, tag, digest);
  if (app.policy.writeBack) return { kind: "commit", next };
  const override = before?.override;
  if (override && override.pinned === app.pinned && override.image === next) return { kind: "current" };
  return { kind: "override", next };
}

/** The override still in force for an app: only while git's pin is the one it replaced. */
export function activeOverride(app: ImageApp, record: AppImageRecord | undefined): string | undefined {
  const override = record?.override;
  if (!override || app.policy.writeBack || app.policy.suspend || override.pinned !== app.pinned) return undefined;
  return override.image;
}
