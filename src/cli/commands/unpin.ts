import { startAndFollow } from "../admin-action";
import { API_HELP, API_OPTIONS, positional } from "../api-options";
import { appPath, towerApi } from "../tower-api";
import type { Command } from "./command";

export const unpin: Command = {
  name: "unpin",
  summary: "admin: let an app follow its config again after a rollback",
  options: [...API_OPTIONS, "wait", "timeout"],
  help: `tower unpin APP [--wait [--timeout SECONDS]] [--url URL] [--json]

Needs the Worker's ADMIN_TOKEN in $TOWER_TOKEN. Ends the pin a rollback put on APP
(POST /api/apps/APP/unpin): Tower deploys what the config says again, which queues a deploy when
that differs from the pinned release. Prints that deploy, or that none was needed.

  --wait             follow that deploy to the end; exit 1 if it failed
  --timeout SECONDS  give up waiting after this long (default 600)
${API_HELP}
  --json             {"app", "answer", "deploy": DeploySummary|DeployDetail|null}`,
  async run(args) {
    const app = positional(args, 0, "APP");
    const api = towerApi(args);
    return startAndFollow(api, args, app, () => api.post(appPath(app, "/unpin")), {
      appearMs: 5000,
      noDeploy: "unpinned; no deploy was needed (the pinned release is what the config says)",
    });
  },
};
