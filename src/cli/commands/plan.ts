import { resolveSecrets, toDesiredApp } from "../../config";
import { UsageError } from "../args";
import { evaluateDir } from "../evaluate-dir";
import { printDiagnostics, printJson, summary } from "../print";
import type { Command } from "./command";

export const plan: Command = {
  name: "plan",
  summary: "show the Fly machine configs Tower would deploy",
  options: ["app", "fetch", "org"],
  help: `tower plan [DIR] [--app NAME] [--fetch] [--org ORG] [--json]

The machines Tower would deploy for each app of DIR (default .): one machine config per process
group, in each region, with the count for that region; the volumes, IPs and deploy settings.
Apps built from source show the image as registry.fly.io/<app>:<build>. Secret values are never
printed: only their names and digest. Exits 1 when the config has errors.

  --app NAME  only this app
  --json      one JSON document on stdout:
              {"ok": bool, "apps": [{"name","org","primaryRegion","configHash",
                 "groups": [{"processGroup","region","count","config": <Fly MachineConfig>}],
                 "volumes","ips","autoPruneIps","deploy","secretNames","secretsDigest"}],
               "errors": [Diagnostic], "warnings": [Diagnostic]}`,
  async run(args) {
    const { evaluation: ev } = await evaluateDir(args);
    const only = typeof args.flags.app === "string" ? args.flags.app : undefined;
    const chosen = only ? ev.apps.filter((a) => a.name === only) : ev.apps;
    if (only && chosen.length === 0 && !ev.errors.some((e) => e.message.includes(only)))
      throw new UsageError(`no app named ${only} (apps: ${ev.apps.map((a) => a.name).join(", ") || "none"})`);
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
    const ok = ev.errors.length === 0;
    if (args.flags.json) printJson({ ok, apps, errors: ev.errors, warnings: ev.warnings });
    else {
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
