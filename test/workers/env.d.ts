// Types for `env` from cloudflare:test: the Worker's own env plus what vitest.config.ts adds.
import type { TowerEnv } from "../../src/worker/env";

declare global {
  namespace Cloudflare {
    interface Env extends TowerEnv {
      GIT_TEST_URL: string;
      FEEDBACK_TEST_URL: string;
    }
  }
}
