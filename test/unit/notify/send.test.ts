import { afterEach, describe, expect, it, vi } from "vitest";
import { logFetch } from "../../../src/durable/feedback/log-fetch";
import type { Delivery } from "../../../src/notify/delivery";
import { hostRepo } from "../../../src/notify/git-host";
import { NOTIFICATION_SCHEMA, type Notification } from "../../../src/notify/notification";
import { type SendPorts, send } from "../../../src/notify/send";

const TOKEN = "ghp_secretTokenValue123";
const HOOK = "https://hooks.slack.com/services/T0/B0/secretpart";
const SHA = "b".repeat(40);
const notification: Notification = {
  schema: NOTIFICATION_SCHEMA,
  id: "d1:deploy.failed",
  event: "deploy.failed",
  at: "2026-03-01T10:00:00.000Z",
  app: "api",
  deploy: null,
  commit: null,
  failure: null,
  problems: [],
  summary: "api failed",
};

function ports(answer: (request: Request) => Response | Promise<Response>, secrets: Record<string, string> = {}) {
  const seen: Request[] = [];
  const p: SendPorts = {
    fetch: async (request) => {
      seen.push(request.clone());
      return answer(request);
    },
    authorization: (host) => (host === "github.com" ? `Bearer ${TOKEN}` : undefined),
    secret: (name) => secrets[name],
    recall: () => null,
    now: () => 0,
  };
  return { p, seen };
}

const status: Delivery = {
  kind: "commit-status",
  to: hostRepo({ host: "github.com", path: "acme/api" })!,
  sha: SHA,
  context: "tower/api",
  state: "pending",
  description: "Deploying",
};

describe("send", () => {
  afterEach(() => vi.restoreAllMocks());

  it("sends the token only as a header; no host without a token is called", async () => {
    const { p, seen } = ports(() => new Response("{}", { status: 201 }));
    expect(await send(status, p, 0)).toEqual({ kind: "sent" });
    expect(seen[0]!.headers.get("authorization")).toBe(`Bearer ${TOKEN}`);
    expect(await seen[0]!.text()).not.toContain(TOKEN);
    const other = { ...status, to: hostRepo({ host: "gitlab.com", path: "acme/api" })! };
    expect(await send(other, p, 0)).toMatchObject({ kind: "skipped" });
    expect(seen).toHaveLength(1);
  });

  it("a chat URL never appears in a reason, even when the network error quotes it", async () => {
    const { p } = ports(() => Promise.reject(new Error(`connect ECONNREFUSED ${HOOK}`)), { CHAT: HOOK });
    const outcome = await send({ kind: "slack", urlEnv: "CHAT", notification }, p, 0);
    expect(outcome.kind).toBe("retry");
    expect(JSON.stringify(outcome)).not.toContain("secretpart");
  });

  it("Tower's own secrets are never a notification URL", async () => {
    const { p, seen } = ports(() => new Response("ok"), { FLY_API_TOKEN: "https://evil.example/x" });
    const outcome = await send({ kind: "webhook", urlEnv: "FLY_API_TOKEN", notification }, p, 0);
    expect(outcome).toMatchObject({ kind: "refused", reason: expect.stringContaining("one of Tower's own secrets") });
    expect(seen).toHaveLength(0);
  });

  it("log mode prints the call without the token or a secret URL", async () => {
    const lines: string[] = [];
    vi.spyOn(console, "warn").mockImplementation((line: string) => void lines.push(line));
    const headers = { authorization: `Bearer ${TOKEN}` };
    await logFetch(
      new Request("log://127.0.0.1:4281/repos/local/c/statuses/x", { method: "POST", headers, body: "{}" }),
    );
    await logFetch(new Request(HOOK, { method: "POST", headers, body: "{}" }));
    expect(lines[0]).toBe("[feedback] would POST log://127.0.0.1:4281/repos/local/c/statuses/x {}");
    expect(lines.join("\n")).not.toContain(TOKEN);
    expect(lines.join("\n")).not.toContain("secretpart");
  });
});
