/**
 * The JSON shapes of the read-only API, as zod schemas: they generate /api/openapi.json and tests
 * validate every response against them. Objects are strict, so a field nobody documented (a
 * secret, say) fails validation instead of slipping out. They mirror src/durable/contract.ts.
 */
import { z } from "@hono/zod-openapi";

const hash = z.string().nullable();
const time = z.string().openapi({ format: "date-time" });

export const ErrorSchema = z
  .strictObject({ error: z.strictObject({ code: z.string(), message: z.string() }) })
  .openapi("Error");

export const DeployOutcomeSchema = z.enum(["running", "succeeded", "failed", "superseded"]).openapi("DeployOutcome");

export const DeploySummarySchema = z
  .strictObject({
    id: z.string(),
    release: z.number().int(),
    outcome: DeployOutcomeSchema,
    cause: z.string(),
    configHash: z.string(),
    sourceCommit: z.string().nullable(),
    startedAt: time,
    finishedAt: time.nullable(),
    image: z.string().nullable(),
  })
  .openapi("DeploySummary");

export const GateFailureSchema = z
  .strictObject({
    gate: z.enum(["health", "smoke", "release-command", "bluegreen"]),
    machine: z.string().optional(),
    check: z.string().optional(),
    output: z.string().optional(),
    exitCode: z.number().int().optional(),
  })
  .openapi("GateFailure");

export const DeployStepSchema = z
  .strictObject({
    name: z.string(),
    outcome: z.enum(["done", "wait", "retry", "stalled"]),
    startedAt: time,
    finishedAt: time.nullable(),
    message: z.string().optional(),
    afterMs: z.number().optional(),
    gate: GateFailureSchema.optional(),
  })
  .openapi("DeployStep");

const FailureSchema = z.strictObject({ step: z.string(), reason: z.string(), gate: GateFailureSchema.optional() });

export const DeployDetailSchema = z
  .strictObject({
    ...DeploySummarySchema.shape,
    planSummary: z.record(z.string(), z.number()),
    steps: z.array(DeployStepSchema),
    error: z.string().nullable(),
    failure: FailureSchema.nullable(),
    restoreOf: z.string().nullable().openapi({ description: "Restore or rollback: the deploy it put back" }),
    restoredBy: z.string().nullable().openapi({ description: "A failed deploy: the restore that followed" }),
    compacted: z
      .literal(true)
      .optional()
      .openapi({ description: "Finished before RETENTION_DAYS: its steps were dropped, the rest is kept" }),
  })
  .openapi("DeployDetail");

export const AppPinSchema = z
  .strictObject({ deployId: z.string(), release: z.number().int(), by: z.string(), since: time })
  .openapi("AppPin");

export const AppSummarySchema = z
  .strictObject({
    name: z.string(),
    org: z.string(),
    status: z.enum(["synced", "deploying", "failed", "pending", "degraded", "pinned"]),
    desired: z.strictObject({ configHash: hash, sourceCommit: hash }),
    deployed: z.strictObject({ configHash: hash, sourceCommit: hash }),
    lastDeploy: DeploySummarySchema.nullable(),
    failure: z
      .strictObject({
        deployId: z.string(),
        ...FailureSchema.shape,
        restore: z
          .strictObject({
            deployId: z.string(),
            outcome: z.enum(["queued", "running", "succeeded", "failed", "superseded"]),
          })
          .optional(),
      })
      .nullable(),
    pin: AppPinSchema.nullable(),
    preview: z
      .strictObject({ app: z.string(), number: z.number().int(), head: z.string() })
      .describe("a pull request's preview app: the app it previews, the pull request number, its head commit")
      .optional(),
  })
  .openapi("AppSummary");

export const AppListSchema = z.strictObject({ apps: z.array(AppSummarySchema) }).openapi("AppList");

export const DeployPageSchema = z
  .strictObject({
    items: z.array(DeploySummarySchema),
    next: z
      .string()
      .nullable()
      .openapi({ description: "Cursor for the next page (pass as ?cursor=); null at the end" }),
  })
  .openapi("DeployPage");

export const StoredEventSchema = z
  .strictObject({
    seq: z.number().int(),
    type: z.string(),
    v: z.number().int(),
    at: time,
    key: z.string(),
    data: z.record(z.string(), z.unknown()),
  })
  .openapi("StoredEvent");

export const EventListSchema = z
  .strictObject({
    events: z.array(StoredEventSchema),
    next: z
      .number()
      .int()
      .openapi({ description: "The last seq returned (or `after` when none): pass as ?after= to read on" }),
  })
  .openapi("EventList");

export const ConfigStatusSchema = z
  .strictObject({
    repo: z.string(),
    ref: z.string(),
    path: z.string(),
    commit: z.string().nullable(),
    lastEvaluation: z
      .strictObject({ at: time, commit: z.string(), ok: z.boolean(), apps: z.number().int() })
      .nullable(),
    errors: z.array(
      z.strictObject({
        file: z.string(),
        line: z.number().int(),
        col: z.number().int(),
        path: z.string().optional(),
        message: z.string(),
      }),
    ),
    lastTick: z
      .strictObject({
        at: time,
        finishedAt: time,
        repos: z.number().int(),
        slices: z.number().int(),
        maxSubrequests: z.number().int(),
      })
      .nullable()
      .openapi({
        description:
          "The last finished cron tick: repos listed, the invocations it was spread over, the most subrequests one made",
      }),
  })
  .openapi("ConfigStatus");

export const RollbackBodySchema = z
  .union([z.strictObject({ deploy: z.string().min(1).max(64) }), z.strictObject({ release: z.number().int().min(1) })])
  .openapi("RollbackRequest", { description: 'The release to go back to: {"deploy": "<id>"} or {"release": N}' });

export const RollbackAcceptedSchema = z
  .strictObject({ accepted: z.literal(true), deployId: z.string(), pin: AppPinSchema })
  .openapi("RollbackAccepted");

export const UnpinResultSchema = z.strictObject({ unpinned: z.boolean() }).openapi("UnpinResult");

export const AcceptedSchema = z.strictObject({ accepted: z.literal(true) }).openapi("Accepted");

const imageError = z.strictObject({ code: z.string(), message: z.string(), at: time });

export const ImagesSchema = z
  .strictObject({
    scanning: z.strictObject({ round: z.string(), startedAt: time, pending: z.number().int() }).nullable(),
    images: z.array(
      z.strictObject({
        image: z.string().openapi({ example: "ghcr.io/acme/api" }),
        lastScan: time.nullable(),
        tagCount: z.number().int(),
        tags: z.array(z.string()),
        truncated: z.boolean(),
        error: imageError.nullable(),
        notBefore: time.nullable().openapi({ description: "After a 429: no listing before this time" }),
      }),
    ),
    apps: z.array(
      z.strictObject({
        app: z.string(),
        image: z.string(),
        policy: z.string().openapi({ example: "semver ^1.4" }),
        pinned: z.string().openapi({ description: "The image as git pins it" }),
        chosen: z.string().nullable(),
        digest: z.string().nullable(),
        why: z.string(),
        status: z.enum(["current", "committed", "deployed-only", "suspended", "no-fit", "conflict", "error"]),
        override: z
          .strictObject({ pinned: z.string(), image: z.string() })
          .nullable()
          .openapi({ description: "write_back: false — deployed instead of the pin, on purpose" }),
        lastChange: z
          .strictObject({ at: time, from: z.string(), to: z.string(), commit: z.string().nullable() })
          .nullable(),
        error: imageError.nullable(),
        checkedAt: time,
      }),
    ),
    invalid: z.array(z.strictObject({ app: z.string(), message: z.string() })),
  })
  .openapi("Images");

const imageEntry = z.strictObject({
  digest: z.string().openapi({ example: "ghcr.io/acme/api@sha256:…" }),
  tag: z.string().optional().openapi({ example: "ghcr.io/acme/api:1.4.2" }),
});
const imagesFile = z.record(z.string(), imageEntry);

export const AnnounceBodySchema = z
  .strictObject({
    images: z.record(z.string(), z.unknown()).openapi({
      description: 'cfgupdater\'s shape: {"<service>": {"digest": "<repo>@sha256:…", "tag": "<repo>:<tag>"}}',
    }),
    source: z.strictObject({
      commit: z
        .string()
        .regex(/^[0-9a-f]{7,64}$/, "a commit hash")
        .openapi({ description: "The source commit CI built the images from" }),
    }),
  })
  .openapi("Announcement");

export const WaveWrittenSchema = z
  .strictObject({
    wave: z.string(),
    result: z.enum(["committed", "unchanged"]),
    commit: z.string(),
    branch: z.string(),
    gated: z.boolean().openapi({ description: "On the gate branch, waiting for CI before the deploy branch follows" }),
  })
  .openapi("WaveWritten");

export const RefusedSchema = z
  .strictObject({
    error: z.strictObject({
      code: z.string(),
      message: z.string(),
      problems: z.array(z.string()).optional().openapi({ description: "Each reason, one per entry" }),
    }),
  })
  .openapi("Refused");

const appHealth = z.strictObject({
  name: z.string(),
  status: z.enum(["healthy", "deploying", "failed"]),
  since: time.nullable().optional(),
  deploy: z.string().nullable().optional(),
  reason: z.string().optional(),
});

export const PromotionSchema = z
  .strictObject({
    from: z.string(),
    images: imagesFile.openapi({ description: "What the next commit into this wave would write" }),
    state: z.enum(["current", "waiting", "blocked", "soaking", "approval", "gated", "rejected", "retry", "due"]),
    reason: z.string(),
    notBefore: time.optional(),
  })
  .openapi("Promotion");

const waveWrite = z.strictObject({
  commit: z.string(),
  images: imagesFile,
  at: time,
  gated: z.boolean(),
  purpose: z.union([
    z.strictObject({ kind: z.literal("announce"), source: z.string() }),
    z.strictObject({ kind: z.literal("promote"), from: z.string(), deploys: z.array(z.string()) }),
  ]),
});

export const WavesSchema = z
  .strictObject({
    waves: z.array(
      z.strictObject({
        name: z.string(),
        file: z.string(),
        approve: z.enum(["auto", "manual"]),
        soakMs: z.number(),
        runs: imagesFile.openapi({ description: "The digests its apps run, by service" }),
        apps: z.array(appHealth),
        health: z.strictObject({
          status: z.enum(["healthy", "deploying", "failed", "empty"]),
          since: time.nullable().optional(),
          reason: z.string().optional(),
        }),
        promotion: PromotionSchema.nullable().openapi({ description: "Into this wave from the one before" }),
      }),
    ),
    gate: z
      .strictObject({
        branch: z.string(),
        deployBranch: z.string(),
        waiting: z.strictObject({ commit: z.string(), wave: z.string(), since: time }).nullable(),
      })
      .nullable(),
    written: z.record(z.string(), waveWrite),
    failures: z.record(z.string(), z.strictObject({ code: z.string(), reason: z.string(), at: time })),
  })
  .openapi("Waves");

export const PromoteAcceptedSchema = z
  .strictObject({ wave: z.string(), approved: imagesFile, promotion: PromotionSchema })
  .openapi("PromoteAccepted");
