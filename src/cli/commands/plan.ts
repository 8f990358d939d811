import { resolveSecrets, toDesiredApp } from "../../config";
import { evaluateDir } from "../evaluate-dir";
import { printDiagnostics, printJson, summary } from "../print";
import { selectApps } from "../select-apps";
import { styleFor } from "../style";
import type { Command } from "./command";

export const plan: Command = {
  name: "plan",
  summary: "show the Fly machine configs Tower would deploy",
  options: ["app", "fetch", "org", "offline"],
  help: `tower plan [DIR] [--app NAME] [--offline] [--fetch] [--org ORG] [--json]

Two views, and the first line says which one you get:
- live (FLY_API_TOKEN set): the deploy plan Tower would run now for each app of DIR (default .),
  against what Fly runs — the same plan and output as tower diff (see tower help diff).
- config only (no FLY_API_TOKEN, or --offline): the machines Tower would deploy, as if nothing
  ran yet: one machine config per process group, in each region, with the count for that region;
  the volumes, IPs and deploy settings. Apps built from source show the image as
  registry.fly.io/<app>:<build>.
Secret values are never printed: only their names and digest. Exits 1 when the config has errors.

  --app NAME  only this app
  --offline   the config-only view even when FLY_API_TOKEN is set
  --json      one JSON document on stdout, "mode": "live" | "config". live: as tower diff --json;
              config:
              {"mode": "config", "ok": bool, "apps": [{"name","org","primaryRegion","configHash",
                 "groups": [{"processGroup","region","count","config": <Fly MachineConfig>}],
                 "volumes","ips","autoPruneIps","deploy","secretNames","secretsDigest"}],
               "errors": [Diagnostic], "warnings": [Diagnostic]}`,
  async run(args) {
    const { evaluation: ev } = await evaluateDir(args);
    const chosen = selectApps(ev, args);
    const ok = ev.errors.length === 0;
    const live = args.flags.offline || !process.env.FLY_API_TOKEN ? null : await import("../live-diff");
    const client = live?.flyClientFromEnv(process.env);
    if (live && client) {
      const { apiBase, diffApps, explainFlyError, renderDiff } = live;
      const fly = apiBase(process.env.FLY_API_BASE);
      const diffs = await diffApps(client, chosen, (key) => process.env[key]).catch((e) => {
        throw explainFlyError(e, process.env);
      });
      if (args.flags.json) printJson({ mode: "live", ok, fly, apps: diffs, errors: ev.errors, warnings: ev.warnings });
      else {
        process.stdout.write(`live plan: against what Fly runs (${fly})\n`);
        const style = styleFor(process.stdout);
        for (const d of diffs) process.stdout.write(renderDiff(d, style));
        printDiagnostics([...ev.warnings, ...ev.errors]);
        process.stdout.write(`${summary(ev.errors.length, ev.warnings.length)}\n`);
      }
      return ok ? 0 : 1;
    }
    const apps = chosen.map((app) => {
      const image = app.source.type === "image" ? app.source.image : `registry.fly.io/${app.name}:<build>`;
      const { values } = resolveSecrets(app, (key) => process.env[key]);
      const { secrets: _values, ...desired } = toDesiredApp(app, {
        image,
        secretValues: values,
        releaseId: "<release>",
        releaseVersion: 0,
      });
      return { ...desired, secretNames: app.secrets.map((s) => s.name) };
    });
    if (args.flags.json) printJson({ mode: "config", ok, apps, errors: ev.errors, warnings: ev.warnings });
    else {
      const why = args.flags.offline ? "--offline" : "FLY_API_TOKEN is not set";
      process.stdout.write(`config only (${why}): the machines Tower would run, not compared with Fly\n`);
      for (const app of apps) {
        process.stdout.write(`app ${app.name} (org ${app.org}, ${app.deploy.strategy} deploy)\n`);
        for (const g of app.groups) {
          const guest = g.config.guest;
          process.stdout.write(
            `  ${g.processGroup} in ${g.region}: ${g.count} × ${guest ? `${guest.cpu_kind} ${guest.cpus} cpu ${guest.memory_mb} MB` : "guest as the machine has it (new: shared-cpu-1x)"}\n`,
          );
          process.stdout.write(`${JSON.stringify(g.config, null, 2).replace(/^/gm, "    ")}\n`);
        }
        for (const v of app.volumes)
          process.stdout.write(`  volume ${v.name} in ${v.region}: ${v.count} × ${v.sizeGb} GB\n`);
        if (app.ips.length)
          process.stdout.write(`  ips: ${app.ips.map((i) => i.type + (i.region ? `@${i.region}` : "")).join(", ")}\n`);
        if (app.secretNames.length) process.stdout.write(`  secrets: ${app.secretNames.join(", ")}\n`);
      }
      printDiagnostics([...ev.warnings, ...ev.errors]);
      process.stdout.write(`${summary(ev.errors.length, ev.warnings.length)}\n`);
    }
    return ok ? 0 : 1;
  },
};
