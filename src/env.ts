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
  /** How long a machine without checks is watched for a crash loop after it starts, ms (default 10000, as flyctl). */
  SMOKE_WINDOW_MS?: string;
  /** Blue-green: how long cordoned blue machines drain before they stop, ms (default 10000, as flyctl). */
  BLUEGREEN_DRAIN_MS?: string;
  /**
   * Tower's own public base URL (e.g. https://tower.example.workers.dev): commit statuses and
   * notifications link to `<PUBLIC_URL>/api/apps/<app>/deploys/<id>`. Unset: no links.
   */
  PUBLIC_URL?: string;
  /** First retry delay of a feedback delivery in ms (default 10000; it triples per attempt). */
  FEEDBACK_RETRY_MS?: string;
  /** "log": feedback deliveries are printed as log lines instead of sent (`npm start`). */
  FEEDBACK_MODE?: string;
  /** How often a commit waiting on the CI gate has its status read, ms (default 15000). */
  WAVES_GATE_POLL_MS?: string;
  /** "true" lets tests call `ProjectDO.testHook` (vitest.config.ts only; never in wrangler.toml). */
  TEST_HOOKS?: string;
  /** Worker variables whose names start with this are readable as app secrets (default `APP_SECRET_`). */
  APP_SECRET_PREFIX?: string;
  /** Comma-separated Worker variable names also readable as app secrets (an explicit allow-list). */
  APP_SECRETS?: string;
  /**
   * Days an AppDO keeps its per-step events, desired states and other log events (default 90);
   * deploy summaries are kept forever. See docs/architecture.md, "Retention".
   */
  RETENTION_DAYS?: string;
}

export interface Secrets {
  FLY_API_TOKEN?: string;
  WEBHOOK_SECRET?: string;
  WEBHOOK_SECRET_PREVIOUS?: string;
  API_TOKEN?: string;
  ADMIN_TOKEN?: string;
  GIT_CREDENTIALS?: string;
  /** JSON `{"<provider>" | "<host/owner/name>": "<secret>"}`: one webhook secret per provider or repo. */
  WEBHOOK_SECRETS?: string;
  /** Logins for private container registries, per host (image automation). */
  REGISTRY_CREDENTIALS?: string;
  /** CI's token for `POST /api/images` (announcing built digests to the first wave), its own secret. */
  CI_TOKEN?: string;
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

/**
 * Every setting of Tower itself, by name: `satisfies` makes a name added to TowerEnv and missing
 * here (or listed here and not in TowerEnv) a compile error, so the list cannot fall behind.
 */
const SETTINGS = {
  CONFIG_REPO: true,
  CONFIG_REF: true,
  CONFIG_PATH: true,
  FLY_API_BASE: true,
  FLY_ORG: true,
  PUBLIC_API: true,
  WEBHOOK_MAX_BYTES: true,
  FLY_REGISTRY_BASE: true,
  FLY_BUILDER_PREFIX: true,
  BUILD_TIMEOUT_MS: true,
  TEST_HOOKS: true,
  APP_SECRET_PREFIX: true,
  APP_SECRETS: true,
  PUBLIC_URL: true,
  FEEDBACK_RETRY_MS: true,
  FEEDBACK_MODE: true,
  SMOKE_WINDOW_MS: true,
  BLUEGREEN_DRAIN_MS: true,
  RETENTION_DAYS: true,
  FLY_API_TOKEN: true,
  WEBHOOK_SECRET: true,
  WEBHOOK_SECRET_PREVIOUS: true,
  WEBHOOK_SECRETS: true,
  API_TOKEN: true,
  ADMIN_TOKEN: true,
  GIT_CREDENTIALS: true,
  REGISTRY_CREDENTIALS: true,
  CI_TOKEN: true,
  WAVES_GATE_POLL_MS: true,
  PROJECT: true,
  APP: true,
} as const satisfies Record<keyof TowerEnv, true>;

export const TOWER_SETTING_NAMES: readonly string[] = Object.keys(SETTINGS);

/**
 * Name families Tower keeps for itself beyond TowerEnv: per-host git credentials and webhook
 * secrets (`GIT_CREDENTIALS_*`, `WEBHOOK_SECRET_*`), CI tokens, and `FLY_*` (Tower's Fly settings,
 * and names Fly itself sets on machines).
 */
export const TOWER_SETTING_PREFIXES: readonly string[] = [
  "FLY_",
  "GIT_CREDENTIALS",
  "WEBHOOK_SECRET",
  "CI_TOKEN",
  "TOWER_",
];

/** Whether a Worker variable is one of Tower's own settings (never an app secret). */
export function isTowerSetting(name: string): boolean {
  const upper = name.toUpperCase();
  return TOWER_SETTING_NAMES.includes(upper) || TOWER_SETTING_PREFIXES.some((prefix) => upper.startsWith(prefix));
}
