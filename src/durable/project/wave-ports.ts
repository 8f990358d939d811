/**
 * The waves' ports wired to the real world: the shared git write-back for images commits and
 * the CI gate's fast-forward, the config repo's host API (`git_hosts`, GIT_CREDENTIALS) for the
 * gate's combined CI state.
 */
import type { GitHostConfig } from "../../config/schema/notify-schema";
import type { TowerEnv } from "../../env";
import { parseGitCredentials } from "../../git";
import { updateBranch, type WriteBackResult, writeBack } from "../../git/write-back";
import { type CiState, combinedState, combinedStatusCall } from "../../notify/combined-status";
import { originHost } from "../feedback/origin-host";
import type { WaveWrite } from "../waves/events";
import { imagesCommit } from "../waves/images-commit";
import type { ProjectSettings } from "./ports";

export interface WavePorts {
  /** Commits `change` on `branch`, built on `base` (default `branch`), compare-and-swap. */
  write(change: WaveWrite, target: { branch: string; base?: string }): Promise<WriteBackResult>;
  /** The commit's combined CI state on the config repo's host; null when Tower knows no API for it. */
  ciState(commit: string): Promise<CiState | null>;
  /** Fast-forwards `branch` from `old` to `next`; false when it was not at `old`. */
  moveBranch(branch: string, old: string, next: string): Promise<boolean>;
}

const CI_TIMEOUT_MS = 10_000;

export function liveWavePorts(
  env: TowerEnv,
  settings: () => ProjectSettings,
  gitHosts: () => Record<string, GitHostConfig>,
): WavePorts {
  const credentials = () => parseGitCredentials(env.GIT_CREDENTIALS);
  return {
    write(change, target) {
      return writeBack(settings().repo, { ...target, credentials: credentials() }, async (tip) =>
        imagesCommit(change, await tip.readFile(change.file)),
      );
    },
    async ciState(commit) {
      const host = originHost(settings().repo, gitHosts(), false);
      if (!host) return null;
      const call = combinedStatusCall(host, commit);
      const authorization = credentials().apiAuthorization(host.host);
      const headers = { ...call.headers, ...(authorization ? { authorization } : {}) };
      const response = await fetch(call.url, { headers, signal: AbortSignal.timeout(CI_TIMEOUT_MS) });
      if (!response.ok) throw new Error(`${host.host} answered ${response.status} for the CI state of ${commit}`);
      return combinedState(host, await response.json());
    },
    moveBranch(branch, old, next) {
      return updateBranch(settings().repo, { branch, old, new: next }, { credentials: credentials() });
    },
  };
}
