// Types for `env` from cloudflare:test: the Worker's own env plus what vitest.config.ts adds.
declare namespace Cloudflare {
  interface Env extends import("../../src/worker/env").TowerEnv {
    GIT_TEST_URL: string;
  }
}
