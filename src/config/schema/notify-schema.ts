import { z } from "zod";

/** A Worker secret or var name: what `url_env` and `secret_env` hold (never the value itself). */
const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "an env var name: letters, digits and _");

/** What a notification target can ask for. `restore` is sent once restores exist (issue 15). */
export const NOTIFY_EVENTS = [
  "deploy.started",
  "deploy.succeeded",
  "deploy.failed",
  "restore",
  "config.invalid",
] as const;
export type NotifyEventName = (typeof NOTIFY_EVENTS)[number];

/**
 * One `notify:` entry: a generic JSON webhook (signed with HMAC-SHA256 when `secret_env` is set)
 * or a Slack-compatible incoming webhook. URLs come from Worker secrets, never from the file.
 */
export const notifyTarget = z.strictObject({
  type: z.enum(["webhook", "slack"]),
  url_env: envName.describe("name of the Worker secret holding the URL"),
  secret_env: envName.describe("webhook only: name of the Worker secret holding the HMAC key").optional(),
  events: z.array(z.enum(NOTIFY_EVENTS)).min(1).describe("which events this target hears"),
});

/** `git_hosts:` in the root project.yaml: which API a self-hosted git host speaks, and where. */
export const gitHost = z.strictObject({
  type: z.enum(["github", "gitea", "gitlab"]),
  api: z
    .string()
    .regex(/^https?:\/\/[^\s/]+(\/\S*)?$/, "the API base URL, e.g. https://git.example.com/api/v1")
    .describe(
      "API base URL (GitHub Enterprise: https://host/api/v3, Gitea: https://host/api/v1, GitLab: https://host/api/v4)",
    ),
});

export const gitHosts = z.record(
  z.string().regex(/^[a-z0-9.-]+(:\d+)?$/, "a host name in lower case, e.g. git.example.com"),
  gitHost,
);

export type NotifyTarget = z.output<typeof notifyTarget>;
export type GitHostType = z.output<typeof gitHost>["type"];
export type GitHostConfig = z.output<typeof gitHost>;
