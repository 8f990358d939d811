/** Node side of the test run: starts the real git server and hands its URL to every test. */
import { resolve } from "node:path";
import type { TestProject } from "vitest/node";
import { acquireSharedFlySim } from "../fly-sim/shared-instance";
import { startFeedbackHosts } from "./feedback-hosts/server";
import { startGitServer } from "./git-server";
import { startRegistryServer } from "./registry-server";

declare module "vitest" {
  export interface ProvidedContext {
    gitUrl: string;
    /** The Fly simulator's base URL (no /v1), shared by both projects: FLY_API_BASE in workerd. */
    flyUrl: string;
    /** The registry stand-in (v2 API, bearer tokens, paginated tags). */
    registryUrl: string;
    /** The recording git-host APIs and chat webhooks (test/support/feedback-hosts). */
    hostsUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const git = await startGitServer();
  project.provide("gitUrl", git.url);
  const registry = await startRegistryServer();
  project.provide("registryUrl", registry.url);
  // One Fly simulator for the run; its request log is checked by .ci/run against Fly's description.
  // Rate limits are Fly's scaled ×10 so suites stay fast while 429s still exist; likewise a new app
  // answers 404 for a quarter of Fly's second (every first deploy still meets it).
  const fly = await acquireSharedFlySim({
    record: resolve(project.config.root, ".tower-local/fly-requests.jsonl"),
    rateLimit: { scale: 10 },
    timings: { appReadyMs: 250 },
  });
  project.provide("flyUrl", fly.sim.url);
  const hosts = await startFeedbackHosts(git.url);
  project.provide("hostsUrl", hosts.url);
  return async () => {
    await hosts.close();
    await git.close();
    await registry.close();
    await fly.release();
  };
}
