import { readFile } from "node:fs/promises";
import { appYamlToFlyToml, flyTomlToAppYaml } from "../../config";
import { UsageError } from "../args";
import { printDiagnostics, printJson } from "../print";
import type { Command } from "./command";

export const convert: Command = {
  name: "convert",
  summary: "fly.toml → app.yaml, or back with --to toml",
  options: ["to"],
  help: `tower convert FILE [--to yaml|toml] [--json]

Converts a fly.toml to an app.yaml (adding source: {type: local}, as flycd did) or, with
--to toml (the default for .yaml/.yml files), an app.yaml back to fly.toml. Every field is kept,
so a round trip gives the same data. The result goes to stdout.

  --json  one JSON document: {"ok": bool, "to": "yaml"|"toml", "text": string, "errors": [Diagnostic]}`,
  async run(args) {
    const file = args.positional[0];
    if (!file) throw new UsageError("convert needs a FILE");
    const to = args.flags.to ?? (/\.ya?ml$/i.test(file) ? "toml" : "yaml");
    if (to !== "toml" && to !== "yaml") throw new UsageError(`--to is yaml or toml, not ${String(to)}`);
    const text = await readFile(file, "utf8").catch(() => {
      throw new UsageError(`cannot read ${file}`);
    });
    const result = to === "yaml" ? flyTomlToAppYaml(text, file) : appYamlToFlyToml(text, file);
    if (args.flags.json)
      printJson({ ok: result.errors.length === 0, to, text: result.text ?? "", errors: result.errors });
    else if (result.text !== undefined) process.stdout.write(result.text);
    else printDiagnostics(result.errors);
    return result.errors.length === 0 ? 0 : 1;
  },
};
