import { UsageError } from "../args";
import { evaluateDir } from "../evaluate-dir";
import { printDiagnostics, printJson } from "../print";
import { selectApps } from "../select-apps";
import { styleFor } from "../style";
import type { Command } from "./command";

export const diff: Command = {
  name: "diff",
  summary: "what a deploy would change on Fly now (live machines vs the local tree)",
  options: ["app", "fetch", "org"],
  help: `tower diff [DIR] [--app NAME] [--fetch] [--org ORG] [--json]

Evaluates DIR (default .) — a working copy, before you push — reads each app's machines,
volumes, IPs and secret names from the Fly Machines API, and runs the planner Tower's deploys
run. Prints per app, in the deploy strategy's order, what a deploy would do: apps, secrets,
volumes and IPs to create or release, and machines to create, update, replace or destroy, each
update with the fields that change (- what Fly runs, + what the config wants). Spellings Fly
echoes back for the same value (autostop true for "stop", "1m0s" for "1m") are not changes.

Needs FLY_API_TOKEN (read-only use: nothing is changed) and FLY_API_BASE (default
https://api.machines.dev). Secrets appear by name only. Secret values this shell does not have
are compared by name; apps built from source are compared with the image Fly runs; secrets
Tower set before and the config dropped are not shown (only Tower's state knows them).

  --app NAME  only this app
  --fetch     fetch git-sourced nested projects (credentials from GIT_CREDENTIALS)
  --org ORG   org for apps that name none (default $FLY_ORG or "personal")
  --json      one JSON document on stdout:
              {"changed": bool, "fly": url, "apps": [{"name","exists","changed","image": {"ref","from"},
                 "secretsCompared": "values"|"names","plan": Plan,"machines": {stepId: [MachineDiff]},
                 "notes"}], "errors": [Diagnostic], "warnings": [Diagnostic]}

Exit codes: 0 nothing would change, 1 something would, 2 an error (config errors included).`,
  async run(args) {
    // src/fly (client, planner) loads only for the commands that talk to Fly: the others stay quick.
    const { apiBase, diffApps, explainFlyError, flyClientFromEnv, renderDiff } = await import("../live-diff");
    const client = flyClientFromEnv(process.env);
    if (!client)
      throw new UsageError(
        "FLY_API_TOKEN is not set: tower diff reads the live apps through the Fly Machines API (see tower plan for the config alone)",
      );
    const { evaluation: ev } = await evaluateDir(args);
    const apps = selectApps(ev, args);
    const diffs = await diffApps(client, apps, (key) => process.env[key]).catch((e) => {
      throw explainFlyError(e, process.env);
    });
    const changed = diffs.some((d) => d.changed);
    if (args.flags.json) {
      printJson({
        changed,
        fly: apiBase(process.env.FLY_API_BASE),
        apps: diffs,
        errors: ev.errors,
        warnings: ev.warnings,
      });
    } else {
      const style = styleFor(process.stdout);
      for (const d of diffs) process.stdout.write(renderDiff(d, style));
      printDiagnostics([...ev.warnings, ...ev.errors]);
      if (ev.errors.length) process.stderr.write("tower diff: the config has errors: apps with errors were left out\n");
    }
    if (ev.errors.length) return 2;
    return changed ? 1 : 0;
  },
};
