/**
 * The root config repo the API tests read: on the test git server, named by the Worker's settings
 * (as CONFIG_REPO in production), deployed by the real ProjectDO and AppDOs to the Fly simulator,
 * and changed by pushes delivered as GitHub delivers them (a real payload, signed, POST /webhook).
 */
import { env } from "cloudflare:test";
import examples from "@octokit/webhooks-examples";
import { expect, inject } from "vitest";
import type { TowerEnv } from "../../../src/env";
import { createRepo, type FixtureRepo } from "../../support/fixture-repo";
import { projectStub } from "../do-stubs";
import { deploysSettled, settle } from "../sync/given";
import { github, send } from "../webhook/deliver";

export interface RootConfig {
  config: FixtureRepo;
  /** The Worker's settings over the pool's env: this repo as CONFIG_REPO, and the API tokens. */
  settings: Partial<TowerEnv>;
  project: ReturnType<typeof projectStub>;
  /** Commits `files`, delivers the push through POST /webhook (202) and waits until `apps` have deployed. */
  push(files: Record<string, string>): Promise<void>;
}

/** A new config repo `name` with `files`, its ProjectDO ticked once and `apps` deployed. */
export async function rootConfig(
  name: string,
  tokens: { API_TOKEN: string; ADMIN_TOKEN: string },
  files: Record<string, string>,
  apps: string[],
): Promise<RootConfig> {
  const config = await createRepo(inject("gitUrl"), name);
  const settings: Partial<TowerEnv> = { CONFIG_REPO: config.url, CONFIG_REF: "main", CONFIG_PATH: ".", ...tokens };
  await config.commit(files);
  const project = projectStub({ ...env, ...settings } as typeof env);
  await project.configure({ repo: config.url, ref: "main", path: "." });
  await project.tick(new Date().toISOString());
  await deploysSettled(apps);
  // A real GitHub push payload, pointed at the config repo on the test git server.
  const real = examples.find((e) => e.name === "push")!.examples[4] as unknown as { repository: object };
  const push = async (change: Record<string, string>) => {
    const before = (await config.refs())["refs/heads/main"] ?? "0".repeat(40);
    const after = await config.commit(change);
    const payload = {
      ...real,
      ref: "refs/heads/main",
      before,
      after,
      created: false,
      repository: { ...real.repository, clone_url: config.url },
    };
    expect((await send(await github("push", payload), settings)).status).toBe(202);
    await settle(project);
    await deploysSettled(apps);
  };
  return { config, settings, project, push };
}
