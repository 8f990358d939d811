import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

// Two projects: pure code (config, planners, deciders) runs in Node, which is fast; everything that
// touches Workers APIs runs in workerd through the pool, as in production.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          environment: "node",
          include: ["test/unit/**/*.test.ts"],
          // Type-level contracts (*.test-d.ts) are checked by tsc: the CLI's API types against the schemas.
          typecheck: { enabled: true, include: ["test/unit/**/*.test-d.ts"] },
          globalSetup: ["test/support/global-setup.ts"],
        },
      },
      {
        plugins: [
          cloudflareTest(({ inject }) => ({
            main: "./src/worker/index.ts",
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: {
              bindings: {
                GIT_TEST_URL: inject("gitUrl"),
                FLY_API_BASE: inject("flyUrl"),
                // The simulator also serves the registry's /v2; builds get a short limit in tests.
                FLY_REGISTRY_BASE: inject("flyUrl"),
                BUILD_TIMEOUT_MS: "5000",
                // Gate windows shortened for tests (defaults: 10 s each, as flyctl).
                SMOKE_WINDOW_MS: "1000",
                BLUEGREEN_DRAIN_MS: "300",
                FLY_API_TOKEN: "tower-test-token",
                // An app secret the operator marked (APP_SECRET_ prefix): what apps may read.
                APP_SECRET_TEST_DB: "app-secret-test-value",
                FEEDBACK_TEST_URL: inject("hostsUrl"),
                // A token for the recording git-host APIs (which also pass `/git/...` on to the git
                // server: a config repo there has a host with an API). Other repos need none.
                GIT_CREDENTIALS: JSON.stringify({ [new URL(inject("hostsUrl")).host]: "ghp_feedbackTestToken0001" }),
                PUBLIC_URL: "https://tower.test",
                FEEDBACK_RETRY_MS: "200",
                NOTIFY_HOOK: `${inject("hostsUrl")}/hooks/generic`,
                NOTIFY_HOOK_KEY: "hook-signing-key",
                NOTIFY_CHAT: `${inject("hostsUrl")}/hooks/chat`,
                PUBLIC_API: "false",
                TEST_HOOKS: "true",
              },
            },
          })),
        ],
        test: {
          name: "workers",
          include: ["test/workers/**/*.test.ts"],
          // Deploys now pass health and smoke gates (SMOKE_WINDOW_MS per batch), and a 429 is waited
          // out between alarms: a whole deploy in workerd takes seconds, more than vitest's 5 s default.
          testTimeout: 30_000,
          globalSetup: ["test/support/global-setup.ts"],
        },
      },
      {
        // `npm start` and `npm run demo:push` run for real (wrangler dev, simulator, git server).
        test: {
          name: "e2e",
          environment: "node",
          include: ["test/e2e/**/*.test.ts"],
          // Each file runs a whole stack (wrangler dev, simulator, git server, a browser): one at a time.
          fileParallelism: false,
          testTimeout: 90_000,
          hookTimeout: 30_000,
        },
      },
    ],
  },
});
