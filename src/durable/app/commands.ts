/** What the AppDO can be asked to do. Time (`at`) and ids arrive with the command. */
import type { DeployStep } from "../contract";
import type { Target } from "./events";
import type { Ownership } from "./state";

export interface RestoreOptions {
  enabled: boolean;
  deployId: string;
  kept: string[];
}

export type AppCommand =
  /** From ProjectDO: the app's newest desired state. `key` makes a repeat a no-op. */
  | {
      type: "desire";
      at: string;
      key: string;
      deployId: string;
      app: string;
      org: string;
      target: Target;
      cause: string;
    }
  /** Admin: redeploy the newest desired state even when it is deployed already. */
  | { type: "force-sync"; at: string; key: string; deployId: string; cause: string }
  /**
   * A drift check found Fly running something other than what the last successful deploy applied.
   * `version` is the log version the check read against: anything appended since voids it.
   */
  | {
      type: "detect-drift";
      at: string;
      key: string;
      deployId: string;
      version: number;
      cause: string;
      planSummary: Record<string, number>;
    }
  /** The alarm: start the queued deploy when none runs; fail a running one past its timeout. */
  | { type: "tick"; at: string; timeoutMs: number }
  /**
   * `restore`: for a gate failure — whether the app restores (`deploy.auto_restore`, default on),
   * the id for the restore deploy, and the deploys whose config is still kept (only those can be
   * put back exactly).
   */
  | { type: "record-step"; at: string; deployId: string; step: DeployStep; restore?: RestoreOptions }
  /** Admin: redeploy release `from` (a deploy id, or found by its release number) and pin to it. */
  | {
      type: "rollback";
      at: string;
      key: string;
      deployId: string;
      from: { deploy: string } | { release: number };
      kept: string[];
    }
  /** Admin: end the pin. */
  | { type: "unpin"; at: string; key: string; deployId: string }
  | { type: "record-plan"; at: string; deployId: string; image: string; planSummary: Record<string, number> }
  | { type: "succeed"; at: string; deployId: string }
  /** The deploy's image needs a build: a machine was started for it (refused when the key is built). */
  | {
      type: "record-build-start";
      at: string;
      deployId: string;
      buildKey: string;
      machineId: string;
      builderApp: string;
      image: string;
    }
  | { type: "record-build-finish"; at: string; deployId: string; exitCode: number; digest: string; image: string }
  /** Also fails the deploy: nothing can run without its image. */
  | { type: "record-build-fail"; at: string; deployId: string; buildKey: string; reason: string }
  | { type: "fail"; at: string; deployId: string; step: string; reason: string }
  /** Whose app this is: Tower created it, or took it over (`adopt: true`, or deployed before records). */
  | { type: "record-ownership"; at: string; deployId: string; how: Ownership["how"]; org: string; reason: string }
  /** From ProjectDO when the app left a `prune: true` project's config. */
  | { type: "destroy"; at: string; key: string; cause: string }
  | { type: "record-destroy"; at: string; destroyed: boolean; reason: string }
  /** The feedback outbox could not deliver to `lane`; `key` makes a repeat for the same cause a no-op. */
  | { type: "record-undelivered"; at: string; key: string; lane: string; reason: string; attempts: number };
