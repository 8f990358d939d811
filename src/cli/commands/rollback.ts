import { startAndFollow } from "../admin-action";
import { API_HELP, API_OPTIONS, positional } from "../api-options";
import { appPath, towerApi } from "../tower-api";
import type { Command } from "./command";

export const rollback: Command = {
  name: "rollback",
  summary: "admin: redeploy an earlier release exactly, and pin the app to it",
  options: [...API_OPTIONS, "wait", "timeout"],
  help: `tower rollback APP RELEASE [--wait [--timeout SECONDS]] [--url URL] [--json]

Needs the Worker's ADMIN_TOKEN in $TOWER_TOKEN. Redeploys an earlier release of APP exactly (its
image digest and config) through POST /api/apps/APP/rollback. RELEASE is a release number or a
deploy id (tower history lists both). The app stays pinned to it — syncs do not undo it — until
a new commit arrives for it or tower unpin APP.

  --wait             follow the rollback deploy to the end; exit 1 if it failed
  --timeout SECONDS  give up waiting after this long (default 600)
${API_HELP}
  --json             {"app", "answer", "deploy": DeploySummary|DeployDetail}`,
  async run(args) {
    const app = positional(args, 0, "APP");
    const which = positional(args, 1, "RELEASE (a release number or a deploy id)");
    const body = /^\d+$/.test(which) ? { release: Number(which) } : { deploy: which };
    const api = towerApi(args);
    return startAndFollow(api, args, app, () => api.post(appPath(app, "/rollback"), body));
  },
};
