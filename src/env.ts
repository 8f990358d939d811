/**
 * The Worker's settings: wrangler `[vars]` and bindings, plus the secrets set with
 * `wrangler secret put`. Written by hand (wrangler's generated Env cannot see secrets);
 * test/unit/wrangler-config.test.ts keeps it in step with wrangler.toml.
 */
export interface Vars {
  CONFIG_REPO: string;
  CONFIG_REF: string;
  CONFIG_PATH: string;
  FLY_API_BASE: string;
  FLY_ORG: string;
  PUBLIC_API: string;
  WEBHOOK_MAX_BYTES: string;
}

/** Optional vars with defaults in code; set them in `[vars]` only to change the default. */
export interface OptionalVars {
  /** Registry images are pushed to and pinned from (default https://registry.fly.io). */
  FLY_REGISTRY_BASE?: string;
  /** Builder app name prefix: `<prefix>-builder` (default `tower-<org>`). */
  FLY_BUILDER_PREFIX?: string;
  /** Time limit of one image build in ms (default 20 minutes). */
  BUILD_TIMEOUT_MS?: string;
  /**
   * Tower's own public base URL (e.g. https://tower.example.workers.dev): commit statuses and
   * notifications link to `<PUBLIC_URL>/api/apps/<app>/deploys/<id>`. Unset: no links.
   */
  PUBLIC_URL?: string;
  /** First retry delay of a feedback delivery in ms (default 10000; it triples per attempt). */
  FEEDBACK_RETRY_MS?: string;
  /** "log": feedback deliveries are printed as log lines instead of sent (`npm start`). */
  FEEDBACK_MODE?: string;
  /** "true" lets tests call `ProjectDO.testHook` (vitest.config.ts only; never in wrangler.toml). */
  TEST_HOOKS?: string;
}

export interface Secrets {
  FLY_API_TOKEN?: string;
  WEBHOOK_SECRET?: string;
  WEBHOOK_SECRET_PREVIOUS?: string;
  API_TOKEN?: string;
  ADMIN_TOKEN?: string;
  GIT_CREDENTIALS?: string;
  /** Logins for private container registries, per host (image automation). */
  REGISTRY_CREDENTIALS?: string;
}

/**
 * The Durable Object bindings, untyped here so this leaf module imports nothing from src/;
 * src/durable/stubs.ts gives them their RPC types.
 */
export interface Bindings {
  PROJECT: DurableObjectNamespace;
  APP: DurableObjectNamespace;
}

export type TowerEnv = Vars & OptionalVars & Secrets & Bindings;

/** Names of the vars, for checks that wrangler.toml and this file agree. */
export const VAR_NAMES = [
  "CONFIG_REPO",
  "CONFIG_REF",
  "CONFIG_PATH",
  "FLY_API_BASE",
  "FLY_ORG",
  "PUBLIC_API",
  "WEBHOOK_MAX_BYTES",
] as const satisfies readonly (keyof Vars)[];
