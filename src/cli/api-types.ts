/**
 * The JSON the Tower API answers, as far as the CLI reads it (docs/api.md; the Worker's zod
 * schemas in src/worker/api/schemas.ts are the source). Written here because the CLI is a client
 * over HTTP: it imports nothing of the Worker or the Durable Objects. test/unit/cli/api-types.test-d.ts
 * fails when a schema's answer no longer fits a type here (a field renamed, an enum value added).
 */
export interface DeploySummary {
  id: string;
  release: number;
  outcome: "running" | "succeeded" | "failed" | "superseded";
  cause: string;
  configHash: string;
  sourceCommit: string | null;
  startedAt: string;
  finishedAt: string | null;
  /** The image the deploy ran (by digest), null before its plan. */
  image: string | null;
}

export interface DeployStep {
  name: string;
  outcome: "done" | "wait" | "retry" | "stalled";
  startedAt: string;
  finishedAt: string | null;
  message?: string;
}

export interface DeployDetail extends DeploySummary {
  planSummary: Record<string, number>;
  steps: DeployStep[];
  error: string | null;
}

export interface AppSummary {
  name: string;
  org: string;
  status: "synced" | "deploying" | "failed" | "pending" | "degraded" | "pinned";
  desired: { configHash: string | null; sourceCommit: string | null };
  deployed: { configHash: string | null; sourceCommit: string | null };
  lastDeploy: DeploySummary | null;
}

export interface ConfigStatus {
  repo: string;
  ref: string;
  path: string;
  commit: string | null;
  lastEvaluation: { at: string; commit: string; ok: boolean; apps: number } | null;
  errors: { file: string; line: number; col: number; path?: string; message: string }[];
}

export interface DeployPage {
  items: DeploySummary[];
  next: string | null;
}
