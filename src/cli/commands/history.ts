import { API_HELP, API_OPTIONS, positional } from "../api-options";
import type { DeployPage } from "../api-types";
import { UsageError } from "../args";
import { between, short, table } from "../format";
import { printJson } from "../print";
import { appPath, towerApi } from "../tower-api";
import type { Command } from "./command";

export const history: Command = {
  name: "history",
  summary: "an app's deploys, newest first: outcome, cause, duration",
  options: [...API_OPTIONS, "limit"],
  help: `tower history APP [--limit N] [--url URL] [--json]

The deploys of APP on a running Tower, newest first: release, deploy id, outcome, cause (push,
config change, admin sync, drift, rollback…), when it started, how long it took, source commit.

  --limit N   how many (default 20, at most 100)
${API_HELP}
  --json      the API's page: {"items": [DeploySummary], "next": cursor|null} (docs/api.md)`,
  async run(args) {
    const app = positional(args, 0, "APP");
    const limit = Number(args.flags.limit ?? 20);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100)
      throw new UsageError(`--limit is a whole number from 1 to 100, not ${String(args.flags.limit)}`);
    const page = await towerApi(args).get<DeployPage>(appPath(app, `/deploys?limit=${limit}`));
    if (args.flags.json) {
      printJson(page);
      return 0;
    }
    const rows = [["RELEASE", "DEPLOY", "OUTCOME", "STARTED", "TOOK", "COMMIT", "CAUSE"]];
    for (const d of page.items)
      rows.push([
        String(d.release),
        d.id,
        d.outcome,
        d.startedAt.replace(/\.\d+Z$/, "Z"),
        between(d.startedAt, d.finishedAt),
        short(d.sourceCommit),
        d.cause,
      ]);
    process.stdout.write(page.items.length ? table(rows) : `${app}: no deploys yet\n`);
    return 0;
  },
};
