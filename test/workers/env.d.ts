// Types for `env` from cloudflare:test: the Worker's own env plus what vitest.config.ts adds.
// src/env.ts leaves the DO bindings untyped (it is a leaf module); tests see the DO classes.
import type { AppDO } from "../../src/durable/app-do";
import type { ProjectDO } from "../../src/durable/project-do";
import type { TowerEnv } from "../../src/env";

declare global {
  namespace Cloudflare {
    interface Env extends Omit<TowerEnv, "PROJECT" | "APP"> {
      PROJECT: DurableObjectNamespace<ProjectDO>;
      APP: DurableObjectNamespace<AppDO>;
      GIT_TEST_URL: string;
      FEEDBACK_TEST_URL: string;
    }
  }
}
