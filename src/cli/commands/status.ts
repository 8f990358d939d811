import { API_HELP, API_OPTIONS, secondsFlag } from "../api-options";
import type { AppSummary, ConfigStatus } from "../api-types";
import { age, short, table } from "../format";
import { printJson } from "../print";
import { styleFor } from "../style";
import { type TowerApi, towerApi } from "../tower-api";
import type { Command } from "./command";

interface StatusView {
  apps: (AppSummary & { image: string | null })[];
  config: ConfigStatus;
}

export const status: Command = {
  name: "status",
  summary: "the apps of a running Tower: status, release, image, commit, last deploy",
  options: [...API_OPTIONS, "watch", "interval"],
  help: `tower status [--watch [--interval SECONDS]] [--url URL] [--json]

Asks a running Tower (its JSON API) for every app of its config: status (synced, deploying,
failed, pending), the last deploy's release, image, source commit and age; then the config repo,
the commit of the last evaluation and its errors (file:line:col).

  --watch             redraw whenever something changes, until Ctrl-C
  --interval SECONDS  how often --watch asks (default 2)
${API_HELP}
  --json              {"apps": [AppSummary + "image"], "config": ConfigStatus} (docs/api.md);
                      with --watch one such document a line, each time it changes

Exit codes: 0 every app synced or on its way, 1 an app failed or the config has errors, 2 error.`,
  async run(args) {
    const api = towerApi(args);
    if (!args.flags.watch) {
      const view = await readStatus(api);
      if (args.flags.json) printJson(view);
      else process.stdout.write(render(view, Date.now()));
      return healthy(view) ? 0 : 1;
    }
    const every = secondsFlag(args, "interval", 2);
    const tty = process.stdout.isTTY === true;
    let last = "";
    for (;;) {
      const view = await readStatus(api);
      const key = JSON.stringify(view);
      if (args.flags.json) {
        if (key !== last) process.stdout.write(`${key}\n`);
      } else if (tty) {
        // Home and clear, then the table: a redraw in place, as `watch` does.
        process.stdout.write(`\x1b[H\x1b[2J${render(view, Date.now())}`);
      } else if (key !== last) {
        process.stdout.write(`${last ? "\n" : ""}${new Date().toISOString()}\n${render(view, Date.now())}`);
      }
      last = key;
      await new Promise((r) => setTimeout(r, every));
    }
  },
};

async function readStatus(api: TowerApi): Promise<StatusView> {
  const [{ apps }, config] = await Promise.all([
    api.get<{ apps: AppSummary[] }>("/api/apps"),
    api.get<ConfigStatus>("/api/config"),
  ]);
  // The summaries carry the last deploy's image: two requests however many apps.
  return { apps: apps.map((app) => ({ ...app, image: app.lastDeploy?.image ?? null })), config };
}

const healthy = (view: StatusView) => view.config.errors.length === 0 && view.apps.every((a) => a.status !== "failed");

function render(view: StatusView, now: number): string {
  const s = styleFor(process.stdout);
  const paint = (status: string) =>
    status === "synced" ? s.add(status) : status === "failed" ? s.remove(status) : s.change(status);
  const rows = [["APP", "STATUS", "RELEASE", "IMAGE", "COMMIT", "LAST DEPLOY"]];
  for (const a of view.apps) {
    const d = a.lastDeploy;
    rows.push([
      a.name,
      paint(a.status),
      d ? String(d.release) : "-",
      // A digest in full would push the table off the screen: its first 12 digits name it.
      (a.image ?? "-").replace(/@sha256:([0-9a-f]{12})[0-9a-f]+$/, "@sha256:$1…"),
      short(d?.sourceCommit ?? a.deployed.sourceCommit),
      d ? `${d.outcome} ${age(d.finishedAt ?? d.startedAt, now)}` : "-",
    ]);
  }
  const c = view.config;
  const evaluation = c.lastEvaluation
    ? `commit ${short(c.lastEvaluation.commit)} evaluated ${age(c.lastEvaluation.at, now)}: ${c.lastEvaluation.apps} apps, ${c.errors.length} error${c.errors.length === 1 ? "" : "s"}`
    : "not evaluated yet";
  const errors = c.errors.map((e) => s.remove(`${e.file}:${e.line}:${e.col}: error: ${e.message}\n`)).join("");
  const empty = view.apps.length ? "" : "(no apps in the config yet)\n";
  return `${table(rows)}${empty}\nconfig ${c.repo} ${c.ref} ${c.path}: ${evaluation}\n${errors}`;
}
