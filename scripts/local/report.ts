/** What `npm start` prints: where everything is, and how the first deploys went. */
import type { AppSummary } from "../../src/durable/contract";
import type { SeededRepos } from "./seed-repos";
import type { LocalSettings } from "./settings";

type Print = (line: string) => void;

export function printBanner(
  print: Print,
  at: {
    api: string;
    flyApi: string;
    fly: LocalSettings["fly"];
    git: string;
    repos: SeededRepos;
    settings: LocalSettings;
  },
): void {
  const lines = [
    "",
    at.fly.mode === "real"
      ? `tower: REAL FLY — deploying to ${at.flyApi} in org "${at.fly.org}" with your FLY_API_TOKEN. ` +
        `The apps (${at.settings.prefix}-*) are real and cost money: delete them with \`fly apps destroy\` when done.`
      : "tower: Fly simulator — nothing leaves this machine (set FLY_API_TOKEN to deploy to the real Fly)",
    `  dashboard      ${at.api}/   (sign in with the admin token for actions)`,
    `  Tower API      ${at.api}/api/apps   (open: PUBLIC_API=true)   OpenAPI: ${at.api}/api/openapi.json`,
    `  webhook        POST ${at.api}/webhook   secret ${at.settings.webhookSecret}`,
    `  admin token    ${at.settings.adminToken}   (POST ${at.api}/api/sync)`,
    `  API token      ${at.settings.apiToken}   (read-only)`,
    `  cron tick      ${at.api}/__scheduled`,
    at.fly.mode === "simulator" ? `  Fly simulator  ${at.flyApi}/v1   state: ${at.flyApi}/_sim/state` : "",
    `  config repo    ${at.repos.config.url}   (from examples/config)`,
    `  app repo       ${at.repos.site.url}   (from examples/site)`,
    `  stack file     ${at.settings.dir}/stack.json   (read by npm run demo:push)`,
    "",
  ];
  for (const line of lines.filter((l, i) => l !== "" || i === 0 || i === lines.length - 1)) print(line);
}

/** Polls GET /api/apps until config has been read and no app is pending or deploying. */
export async function waitForDeploys(api: string, timeoutMs: number): Promise<AppSummary[]> {
  const deadline = Date.now() + timeoutMs;
  let apps: AppSummary[] = [];
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${api}/api/apps`);
      if (res.ok) apps = ((await res.json()) as { apps: AppSummary[] }).apps;
    } catch {
      // Retried below.
    }
    if (apps.length > 0 && apps.every((app) => app.status === "synced" || app.status === "failed")) return apps;
    await new Promise((r) => setTimeout(r, 250));
  }
  return apps;
}

export function printSummary(print: Print, apps: AppSummary[], elapsedMs: number): void {
  const done = apps.filter((app) => app.status === "synced").length;
  print("");
  print(`tower: ${done} of ${apps.length} apps deployed, ${(elapsedMs / 1000).toFixed(1)} s after npm start`);
  for (const app of apps) {
    const last = app.lastDeploy;
    print(
      `  ${app.name.padEnd(20)} ${app.status.padEnd(9)} ${last ? `release ${last.release} ${last.outcome}` : "no deploy"}`,
    );
  }
  print("tower: try `npm run demo:push` in another terminal; Ctrl-C stops everything");
  print("");
}
