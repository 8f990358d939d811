import { API_HELP, API_OPTIONS, positional } from "../api-options";
import type { DeployDetail, DeployPage } from "../api-types";
import { between, duration, short } from "../format";
import { printJson } from "../print";
import { appPath, type TowerApi, TowerApiError, towerApi } from "../tower-api";
import type { Command } from "./command";

export const show: Command = {
  name: "show",
  summary: "one deploy: its steps as a timeline, the plan, the error",
  options: [...API_OPTIONS],
  help: `tower show APP DEPLOY [--url URL] [--json]

One deploy of APP on a running Tower. DEPLOY is a deploy id (from tower history) or a release
number. Prints the outcome, cause, config hash, source commit, image and plan summary, then each
step with its offset from the start, outcome, duration and message, and the error if it failed.

${API_HELP}
  --json      the API's DeployDetail (docs/api.md)`,
  async run(args) {
    const app = positional(args, 0, "APP");
    const which = positional(args, 1, "DEPLOY (a deploy id or a release number)");
    const api = towerApi(args);
    const id = /^\d+$/.test(which) ? await idOfRelease(api, app, Number(which)) : which;
    const d = await api.get<DeployDetail>(appPath(app, `/deploys/${encodeURIComponent(id)}`));
    if (args.flags.json) {
      printJson(d);
      return 0;
    }
    const start = Date.parse(d.startedAt);
    const plan = Object.entries(d.planSummary).map(([k, n]) => `${k} ${n}`);
    const lines = [
      `${app} deploy ${d.id}: release ${d.release} ${d.outcome}${d.finishedAt ? ` in ${between(d.startedAt, d.finishedAt)}` : ""}`,
      `cause    ${d.cause}`,
      `started  ${d.startedAt}`,
      `config   ${d.configHash}`,
      `commit   ${short(d.sourceCommit, 40)}`,
      `image    ${d.image ?? "-"}`,
      `plan     ${plan.join(", ") || "nothing to change"}`,
      "steps",
      ...d.steps.map(
        (s) =>
          `  +${duration(Date.parse(s.startedAt) - start).padEnd(7)} ${s.name.padEnd(22)} ${s.outcome.padEnd(7)} ${between(s.startedAt, s.finishedAt).padStart(7)}${s.message ? `  ${s.message}` : ""}`,
      ),
    ];
    if (d.error) lines.push(`error    ${d.error}`);
    process.stdout.write(`${lines.join("\n")}\n`);
    return 0;
  },
};

/** Pages through the app's deploys (newest first) until the release shows up. */
async function idOfRelease(api: TowerApi, app: string, release: number): Promise<string> {
  let cursor: string | null = null;
  do {
    const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
    const page: DeployPage = await api.get<DeployPage>(appPath(app, `/deploys?limit=100${query}`));
    const found = page.items.find((d) => d.release === release);
    if (found) return found.id;
    if (page.items.some((d) => d.release > 0 && d.release < release)) break;
    cursor = page.next;
  } while (cursor);
  throw new TowerApiError("unknown_deploy", `${app} has no release ${release} (tower history ${app} lists them)`);
}
