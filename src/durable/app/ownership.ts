/**
 * Whose Fly app this is, judged by the app's own log, never by what Fly shows (machine metadata can
 * be written by anyone holding a token for the app). Tower deploys into an app it created, or one
 * it was told to take over (`adopt: true`); prune deletes only what it created. Pure.
 */
import type { AppState } from "./state";

/** What the deploy's first look at Fly found. */
export interface AppSighting {
  name: string;
  /** The app's file, for the error that points to `adopt: true`. */
  file: string;
  /** The app exists on Fly (in Tower's org). */
  exists: boolean;
  /** `adopt: true` in the app's config. */
  adopt: boolean;
  /** This deploy asked Fly to create the app before (a crash or a lost answer since). */
  creating: boolean;
}

export type OwnershipVerdict =
  /** Nothing to record: the log already says. */
  | { go: true }
  /** The app is missing: Tower creates it (and records that it did). */
  | { create: true }
  | { record: "created" | "adopted"; reason: string }
  /** The deploy fails with this message. */
  | { refuse: string };

export function ownershipOnDeploy(state: AppState, seen: AppSighting): OwnershipVerdict {
  if (state.ownership) return { go: true };
  if (seen.creating) return { record: "created", reason: "this deploy asked Fly to create it" };
  if (!seen.exists) return { create: true };
  // Migration: a deploy before creation records succeeded here. Adopted, so never pruned.
  if (state.deployed !== null)
    return { record: "adopted", reason: "deployed by Tower before creation records were kept: counts as adopted" };
  if (seen.adopt) return { record: "adopted", reason: `adopt: true in ${seen.file}` };
  return {
    refuse:
      `the Fly app ${seen.name} already exists and Tower did not create it: ` +
      `add \`adopt: true\` to ${seen.file} to let Tower deploy into it (and never prune it)`,
  };
}

/** Prune deletes only an app whose log says Tower created it. */
export function pruneVerdict(state: AppState): { ours: boolean; reason: string } {
  const how = state.ownership?.how;
  if (how === "created") return { ours: true, reason: `Tower created it (deploy ${state.ownership!.deployId})` };
  if (how === "adopted") return { ours: false, reason: "Tower adopted this app, it did not create it: left alone" };
  return { ours: false, reason: "the app's log has no record that Tower created it: left alone" };
}
