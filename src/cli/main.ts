import { TowerError } from "../errors";
import { parseArgs, UsageError } from "./args";
import type { Command } from "./commands/command";
import { convert } from "./commands/convert";
import { plan } from "./commands/plan";
import { repos } from "./commands/repos";
import { validate } from "./commands/validate";

const commands: Command[] = [validate, plan, convert, repos];

const usage = `tower: GitOps for Fly.io — check and preview a config repo

usage: tower <command> [options]

${commands.map((c) => `  ${c.name.padEnd(9)} ${c.summary}`).join("\n")}

Every command takes --json (one JSON document on stdout) and --help.
Exit codes: 0 fine, 1 errors in the config, 2 bad usage or an unexpected failure.`;

/** Runs the CLI; returns the exit code. Errors are printed as one line, never as a stack trace. */
export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(`${usage}\n`);
    return name ? 0 : 2;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`tower: unknown command ${name}\n\n${usage}\n`);
    return 2;
  }
  try {
    const args = parseArgs(rest, [...command.options, "json", "help"]);
    if (args.flags.help) {
      process.stdout.write(`${command.help}\n`);
      return 0;
    }
    return await command.run(args);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`tower ${command.name}: ${e.message}\n(see tower ${command.name} --help)\n`);
      return 2;
    }
    const code = e instanceof TowerError ? ` [${e.code}]` : "";
    process.stderr.write(`tower ${command.name}: ${e instanceof Error ? e.message : String(e)}${code}\n`);
    return 2;
  }
}
