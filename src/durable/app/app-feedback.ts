/**
 * The AppDO's side of feedback: when its log appends a deploy event, plan what the outside world
 * is owed and enqueue it in the same synchronous block; from the alarm, drain the outbox. A host
 * that is down or refusing only delays its own deliveries; deploys never wait on it.
 */
import type { ResolvedApp } from "../../config/resolved-app";
import { type GitCredentials, noCredentials, parseGitCredentials, parseRepoUrl, redact } from "../../git";
import { type HostRepo, hostRepo } from "../../notify/git-host";
import { drainOutbox } from "../feedback/drain";
import { logFetch } from "../feedback/log-fetch";
import type { FeedbackOutbox } from "../feedback/outbox-table";
import { DEFAULT_FIRST_RETRY_MS } from "../feedback/retry";
import type { AppLog } from "./app-log";
import type { AppEvent } from "./events";
import { type DeployFeedback, planFeedback } from "./feedback-plan";
import type { AppState } from "./state";

/** `{url, sha}` of the newest desired state's commit, written with `desired-app`. */
export const DESIRED_ORIGIN = "desired-origin";
/** `{deployId, feedback}`: where the running (after it, the last) deploy is reported. */
const DEPLOY_FEEDBACK = "deploy-feedback";
const DESIRED_APP = "desired-app";

export class AppFeedback {
  constructor(
    private readonly log: AppLog,
    readonly outbox: FeedbackOutbox,
    private readonly env: Record<string, unknown>,
  ) {}

  /** The AppLog observer: runs inside the append's synchronous block. */
  readonly observe = (events: AppEvent[], state: AppState): void => {
    for (const event of events) {
      if (event.type === "deploy.started") {
        const feedback = this.deployFeedback();
        this.log.store.putState(DEPLOY_FEEDBACK, { deployId: event.data.deployId, feedback });
      }
      if (event.type !== "deploy.started" && event.type !== "deploy.succeeded" && event.type !== "deploy.failed")
        continue;
      const row = this.log.store.getState<{ deployId: string; feedback: DeployFeedback }>(DEPLOY_FEEDBACK);
      if (row?.deployId !== event.data.deployId) continue;
      this.outbox.enqueue(planFeedback(event, state, row.feedback), Date.now());
    }
  };

  /** Sends what is due; returns the delay until the next row is due, or null when none waits. */
  async drain(): Promise<number | null> {
    const logOnly = this.env.FEEDBACK_MODE === "log";
    const credentials = this.credentials();
    const result = await drainOutbox(
      this.outbox,
      {
        fetch: logOnly ? logFetch : (request) => fetch(request, { signal: AbortSignal.timeout(10_000) }),
        // Log mode shows the calls a real host would get, without a token to send.
        authorization: (host) => (logOnly ? "Bearer (log only)" : credentials.apiAuthorization(host)),
        secret: (name) => (typeof this.env[name] === "string" ? (this.env[name] as string) : undefined),
        now: Date.now,
      },
      { firstRetryMs: Number(this.env.FEEDBACK_RETRY_MS) || DEFAULT_FIRST_RETRY_MS },
    );
    for (const report of result.undelivered) {
      const { key, lane, reason, attempts } = report;
      this.log.execute({ type: "record-undelivered", at: new Date().toISOString(), key, lane, reason, attempts });
    }
    return result.nextAt === null ? null : Math.max(0, result.nextAt - Date.now());
  }

  private deployFeedback(): DeployFeedback {
    const app = this.log.store.getState<ResolvedApp>(DESIRED_APP);
    const origin = this.log.store.getState<{ url: string; sha: string } | null>(DESIRED_ORIGIN);
    const publicUrl = typeof this.env.PUBLIC_URL === "string" && this.env.PUBLIC_URL !== "" ? this.env.PUBLIC_URL : null;
    const notify = app?.feedback?.notify ?? [];
    if (!origin) return { origin: null, notify, publicUrl };
    const host = this.hostOf(origin.url, app?.feedback?.gitHosts ?? {});
    return { origin: { url: redact(origin.url), sha: origin.sha, host }, notify, publicUrl };
  }

  private hostOf(url: string, gitHosts: NonNullable<ResolvedApp["feedback"]>["gitHosts"]): HostRepo | null {
    let repo: { host: string; path: string };
    try {
      repo = parseRepoUrl(url);
    } catch {
      return null;
    }
    const known = hostRepo(repo, gitHosts);
    if (known || this.env.FEEDBACK_MODE !== "log") return known;
    // `npm start`: the local git server has no API; show what a GitHub host would be sent.
    return { type: "github", host: repo.host, api: `log://${repo.host}`, path: repo.path };
  }

  private credentials(): GitCredentials {
    try {
      return parseGitCredentials(this.env.GIT_CREDENTIALS as string | undefined);
    } catch {
      // A malformed GIT_CREDENTIALS fails git fetches loudly already; here it means no tokens.
      return noCredentials;
    }
  }
}
