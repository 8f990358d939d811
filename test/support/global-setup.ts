/** Node side of the test run: starts the real git server and hands its URL to every test. */
import type { TestProject } from "vitest/node";
import { startGitServer } from "./git-server";

declare module "vitest" {
  export interface ProvidedContext {
    gitUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const git = await startGitServer();
  project.provide("gitUrl", git.url);
  return async () => {
    await git.close();
  };
}
