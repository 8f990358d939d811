/**
 * What Tower has to tell someone, as plain data: the outbox stores these and the senders turn them
 * into HTTP calls at send time, so no token or URL from a secret is ever stored with them.
 */
import type { HostRepo } from "./git-host";
import type { Notification } from "./notification";

/** A commit status's state in Tower's words; each host client maps it to its own. */
export type CommitState = "pending" | "success" | "failure" | "error";

/** GitHub deployment status states Tower posts. */
export type DeploymentState = "in_progress" | "success" | "failure" | "error" | "inactive";

export type Delivery =
  | {
      kind: "commit-status";
      to: HostRepo;
      sha: string;
      /** `tower/<app>` (or `tower/config`). */
      context: string;
      state: CommitState;
      description: string;
      targetUrl?: string;
    }
  /** GitHub only: one Deployment per Tower deploy; `deployId` finds it again after a lost answer. */
  | { kind: "deployment"; to: HostRepo; sha: string; environment: string; deployId: string; description: string }
  | {
      kind: "deployment-status";
      to: HostRepo;
      /** Outbox key of the `deployment` delivery whose id this status is for. */
      deployment: string;
      state: DeploymentState;
      description: string;
      logUrl?: string;
      environmentUrl?: string;
    }
  /** `urlEnv`/`secretEnv` name Worker secrets: values are read when sending, never stored. */
  | { kind: "webhook"; urlEnv: string; secretEnv?: string; notification: Notification }
  | { kind: "slack"; urlEnv: string; notification: Notification };

/** GitHub and Gitea cut descriptions at 140 characters and refuse longer ones with a 422. */
export function shortDescription(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length <= 140 ? line : `${line.slice(0, 139)}…`;
}
