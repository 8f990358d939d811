import { TowerError } from "../errors";
import { parseArgs, UsageError } from "./args";
import type { Command } from "./commands/command";
import { convert } from "./commands/convert";
import { diff } from "./commands/diff";
import { history } from "./commands/history";
import { plan } from "./commands/plan";
import { repos } from "./commands/repos";
import { rollback } from "./commands/rollback";
import { show } from "./commands/show";
import { status } from "./commands/status";
import { sync } from "./commands/sync";
import { unpin } from "./commands/unpin";
import { validate } from "./commands/validate";

const local: Command[] = [validate, plan, diff, convert, repos];
const remote: Command[] = [status, history, show, sync, rollback, unpin];
const commands = [...local, ...remote];
const line = (c: Command) => `  ${c.name.padEnd(9)} ${c.summary}`;

const usage = `tower: GitOps for Fly.io — check a config repo, preview a deploy, operate a running Tower

usage: tower <command> [options]        tower help <command>

A config tree on this machine (diff and plan --live also read Fly: FLY_API_TOKEN, FLY_API_BASE):
${local.map(line).join("\n")}

A running Tower (TOWER_URL, TOWER_TOKEN):
${remote.map(line).join("\n")}

Every command takes --json (one JSON document on stdout) and --help.
Exit codes: 0 fine, 1 errors in the config / changes found (diff) / a deploy failed,
2 bad usage or a failure (unreachable, refused), named in one line on stderr.`;

/** Runs the CLI; returns the exit code. Errors are printed as one line, never as a stack trace. */
export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    const topic = name === "help" ? rest[0] : undefined;
    const command = topic ? commands.find((c) => c.name === topic) : undefined;
    if (topic && !command) {
      process.stderr.write(`tower: no command ${topic}\n\n${usage}\n`);
      return 2;
    }
    process.stdout.write(`${command ? command.help : usage}\n`);
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
      process.stderr.write(`tower ${command.name}: ${e.message}\n(see tower help ${command.name})\n`);
      return 2;
    }
    const code = e instanceof TowerError ? ` [${e.code}]` : "";
    process.stderr.write(`tower ${command.name}: ${e instanceof Error ? e.message : String(e)}${code}\n`);
    return 2;
  }
}
