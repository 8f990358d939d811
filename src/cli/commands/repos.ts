import { evaluateDir } from "../evaluate-dir";
import { printDiagnostics, printJson } from "../print";
import type { Command } from "./command";

export const repos: Command = {
  name: "repos",
  summary: "list every git repo the config references (to set up webhooks)",
  options: ["fetch", "org"],
  help: `tower repos [DIR] [--fetch] [--json]

Every git repository referenced by projects and apps of DIR (default .), once per repo and ref,
with what uses it: the repos whose pushes Tower needs webhooks for. Exits 1 when the config has
errors (the list then covers what could be read).

  --json  one JSON document on stdout:
          {"ok": bool, "repos": [{"url","repo","ref": {"branch"|"tag"|"commit"},"usedBy": [names]}],
           "errors": [Diagnostic]}`,
  async run(args) {
    const { evaluation: ev } = await evaluateDir(args);
    const ok = ev.errors.length === 0;
    if (args.flags.json) printJson({ ok, repos: ev.repos, errors: ev.errors });
    else {
      for (const r of ev.repos) {
        const [kind, value] = Object.entries(r.ref)[0]!;
        process.stdout.write(`${r.repo}  ${kind} ${value}  (${r.url})  used by ${r.usedBy.join(", ")}\n`);
      }
      printDiagnostics(ev.errors);
    }
    return ok ? 0 : 1;
  },
};
