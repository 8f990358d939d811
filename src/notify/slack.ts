/**
 * A Slack incoming webhook message (api.slack.com/messaging/webhooks): `text` is the one-line
 * summary (notifications and clients without blocks show it), `blocks` add the details. Mattermost
 * and Rocket.Chat accept the same body.
 */
import type { HttpCall } from "./http-call";
import type { Notification } from "./notification";

export function slackCall(notification: Notification, url: string): HttpCall {
  return {
    method: "POST",
    url,
    headers: { "content-type": "application/json", "user-agent": "tower" },
    body: JSON.stringify(slackMessage(notification)),
  };
}

export function slackMessage(n: Notification): { text: string; blocks: object[] } {
  const facts: string[] = [];
  if (n.deploy) facts.push(`release ${n.deploy.release}`, `deploy \`${n.deploy.id}\``);
  if (n.commit) facts.push(`commit \`${n.commit.sha.slice(0, 7)}\` of ${n.commit.repo}`);
  if (n.deploy?.url) facts.push(`<${n.deploy.url}|details>`);
  const details = [
    ...(n.failure ? [`*${n.failure.step}*: ${mrkdwn(n.failure.reason)}`] : []),
    ...n.problems.slice(0, 10).map((p) => `\`${p.file}:${p.line}:${p.col}\` ${mrkdwn(p.message)}`),
  ];
  const blocks: object[] = [{ type: "section", text: { type: "mrkdwn", text: mrkdwn(n.summary) } }];
  if (details.length > 0) blocks.push({ type: "section", text: { type: "mrkdwn", text: details.join("\n") } });
  if (facts.length > 0) blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: facts.join(" · ") }] });
  return { text: mrkdwn(n.summary), blocks };
}

/** Slack's mrkdwn treats &, < and > as markup: text from config files must not become links. */
function mrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
