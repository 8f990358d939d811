import { evaluateDir } from "../evaluate-dir";
import { printDiagnostics, printJson, summary } from "../print";
import type { Command } from "./command";

export const validate: Command = {
  name: "validate",
  summary: "evaluate a config tree and report every app, warning and error",
  options: ["fetch", "org"],
  help: `tower validate [DIR] [--fetch] [--org ORG] [--json]

Evaluates DIR (default .) like Tower does: projects, nested projects, apps (app.yaml or fly.toml),
common defaults/overrides/substitutions. Prints each app (name, org, regions, source, config hash), then
every warning and error as file:line:col. Exits 1 when there is any error.

  --fetch     fetch git-sourced nested projects (credentials from GIT_CREDENTIALS); default: list them
  --org ORG   org for apps that name none (default $FLY_ORG or "personal")
  --json      one JSON document on stdout:
              {"ok": bool, "apps": [{"name","org","regions","file","projects","source","configHash"}],
               "projects": [{"name","path","file","prune","source","complete","fetched"}],
               "errors": [Diagnostic], "warnings": [Diagnostic]}
              Diagnostic = {"severity","file","line","col","path"?,"message"}`,
  async run(args) {
    const { evaluation: ev } = await evaluateDir(args);
    const apps = ev.apps.map(({ name, org, regions, file, projects, source, configHash }) => ({
      name,
      org,
      regions,
      file,
      projects,
      source,
      configHash,
    }));
    const ok = ev.errors.length === 0;
    if (args.flags.json) {
      printJson({ ok, apps, projects: ev.projects, errors: ev.errors, warnings: ev.warnings });
    } else {
      for (const a of apps) {
        const where =
          a.source.type === "git"
            ? `git ${a.source.repo}@${Object.values(a.source.ref)[0]}:${a.source.path || "."}`
            : a.source.type === "local"
              ? `local ${a.source.path || "."}`
              : a.source.type === "image"
                ? `image ${a.source.image}`
                : "inline Dockerfile";
        process.stdout.write(
          `${a.name}  org=${a.org}  regions=${a.regions.join(",")}  source=${where}  ${a.configHash.slice(0, 19)}\n`,
        );
      }
      for (const p of ev.projects.filter((p) => !p.fetched))
        process.stdout.write(`project ${p.name} (${p.file}): git ${p.source?.repo} not fetched (use --fetch)\n`);
      printDiagnostics([...ev.warnings, ...ev.errors]);
      process.stdout.write(
        `${apps.length} app${apps.length === 1 ? "" : "s"}, ${summary(ev.errors.length, ev.warnings.length)}\n`,
      );
    }
    return ok ? 0 : 1;
  },
};
