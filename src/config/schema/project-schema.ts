import { z } from "zod";
import { gitHosts, notifyTarget } from "./notify-schema";
import { source } from "./source-schema";

/**
 * `common`: what a project gives each of its apps (and its nested projects' apps).
 * `substitutions` are regex → replacement on the raw app text before it is parsed;
 * `app_defaults` are merged under each app file, `app_overrides` over it.
 */
export const common = z.strictObject({
  app_defaults: z.record(z.string(), z.unknown()).optional(),
  app_overrides: z.record(z.string(), z.unknown()).optional(),
  substitutions: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
});

/** A promotion wave: see docs/waves.md. */
export const wave = z.strictObject({
  name: z.string().regex(/^[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?$/, "a wave name: lowercase letters, digits and -"),
  apps: z.array(z.string().regex(/^[a-z0-9*-]+$/, "an app name or pattern: lowercase letters, digits, - and *")).min(1),
  images: z
    .string()
    .min(1)
    .describe("the wave's images file, from the root project's folder (default images/<name>.json)")
    .optional(),
  soak: z
    .union([z.number().int().min(0), z.string().regex(/^\d+(ms|s|m|h)$/, "a duration: 30s, 10m, 2h")])
    .describe("healthy time after a successful deploy before the next wave gets its digests (default 0)")
    .optional(),
  approve: z
    .enum(["auto", "manual"])
    .describe("manual: promotion into this wave waits for POST /api/waves/{wave}/promote")
    .optional(),
});

/** project.yaml. `prune` (Tower's): delete Fly apps of this project that leave the config. */
export const projectSchema = z.strictObject({
  // flycd: a project name is a DNS label (it may name things later).
  project: z
    .string()
    .regex(/^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/, "a project name is a DNS label: letters, digits and -"),
  source: source.optional(),
  common: common
    .describe("app_defaults (merged under each app), app_overrides (over it), substitutions (regex → text)")
    .optional(),
  prune: z.boolean().describe("delete Fly apps of this project that leave the config (default false)").optional(),
  allow: z
    .strictObject({
      apps: z
        .string()
        .regex(/^[a-z0-9*-]+$/, "an app name pattern: lowercase letters, digits, - and * (any run of characters)")
        .optional(),
      orgs: z.array(z.string().min(1)).optional(),
      secrets: z
        .array(
          z
            .string()
            .regex(/^[A-Za-z0-9_*]+$/, "a variable name pattern: letters, digits, _ and * (any run of characters)"),
        )
        .describe("Worker variables the apps may read as secrets (name patterns); absent: any marked for apps")
        .optional(),
    })
    .describe("limits on the apps this project (and everything under it) may define: name pattern, orgs, secrets")
    .optional(),
  notify: z
    .array(notifyTarget)
    .describe("notification targets for this project's apps; nested projects add theirs to their parents'")
    .optional(),
  waves: z
    .array(wave)
    .min(1)
    .describe("root project only: ordered sets of apps; digests announced to the first are promoted to the next")
    .optional(),
  gate: z
    .strictObject({
      branch: z
        .string()
        .regex(/^[A-Za-z0-9._/-]+$/, "a branch name")
        .describe("Tower's commits go here; the deploy branch follows once CI passed on them"),
    })
    .describe("root project only: Tower's own commits wait for the config repo's CI")
    .optional(),
  git_hosts: gitHosts
    .describe("root project only: self-hosted git hosts by name, {type: github | gitea | gitlab, api}")
    .optional(),
});

export type ProjectFile = z.input<typeof projectSchema>;
export type CommonConfig = z.input<typeof common>;
