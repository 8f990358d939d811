import { startAndFollow } from "../admin-action";
import { API_HELP, API_OPTIONS, secondsFlag } from "../api-options";
import type { AppSummary } from "../api-types";
import { outcomeLine } from "../follow-deploy";
import { printJson } from "../print";
import { appPath, type TowerApi, TowerApiError, towerApi } from "../tower-api";
import type { Command } from "./command";

export const sync: Command = {
  name: "sync",
  summary: "admin: deploy now — one app (always a redeploy) or re-read the config for all",
  options: [...API_OPTIONS, "force", "wait", "timeout"],
  help: `tower sync [APP] [--force] [--wait [--timeout SECONDS]] [--url URL] [--json]

Needs the Worker's ADMIN_TOKEN in $TOWER_TOKEN.
With APP: redeploys that app now, even when nothing changed (POST /api/apps/APP/sync; --force is
implied), and prints the deploy it queued. Without APP: Tower re-reads its config repo and deploys
what changed (POST /api/sync); --force redeploys every app.

  --force            without APP: redeploy every app, changed or not
  --wait             follow the deploy (or, without APP, every app) to the end; exit 1 if one failed
  --timeout SECONDS  give up waiting after this long (default 600)
${API_HELP}
  --json             {"app", "answer", "deploy": DeploySummary|DeployDetail} (with APP);
                     {"answer", "apps": [AppSummary]} (without)`,
  async run(args) {
    const api = towerApi(args);
    const app = args.positional[0];
    if (app) return startAndFollow(api, args, app, () => api.post(appPath(app, "/sync")));
    const force = args.flags.force === true;
    const before = await api.get<{ apps: AppSummary[] }>("/api/apps");
    const answer = await api.post(`/api/sync?force=${force}`);
    if (!args.flags.wait) {
      if (args.flags.json) printJson({ answer, apps: before.apps });
      else process.stdout.write(`sync requested${force ? " (force: every app redeploys)" : ""}\n`);
      return 0;
    }
    const apps = await settle(api, before.apps, force, secondsFlag(args, "timeout", 600));
    if (args.flags.json) printJson({ answer, apps });
    else
      for (const a of apps)
        process.stdout.write(`${a.lastDeploy ? outcomeLine(a.name, a.lastDeploy) : `${a.name}: not deployed`}\n`);
    return apps.every((a) => a.status === "synced") ? 0 : 1;
  },
};

/**
 * Waits until no app deploys or waits to; with `force`, also until each app has a deploy newer
 * than before the request. A sync that changed nothing settles at once.
 */
async function settle(api: TowerApi, before: AppSummary[], force: boolean, timeoutMs: number) {
  const was = new Map(before.map((a) => [a.name, a.lastDeploy?.id]));
  const deadline = Date.now() + timeoutMs;
  // Give the ProjectDO a moment to read the repo before "nothing is deploying" counts.
  await new Promise((r) => setTimeout(r, 1000));
  for (;;) {
    const { apps } = await api.get<{ apps: AppSummary[] }>("/api/apps");
    const busy = apps.some((a) => a.status === "deploying" || a.status === "pending");
    const fresh = !force || apps.every((a) => a.lastDeploy && a.lastDeploy.id !== was.get(a.name));
    if (!busy && fresh) return apps;
    if (Date.now() > deadline)
      throw new TowerApiError("wait_timeout", `apps still deploying after ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 500));
  }
}
