import { TowerError } from "../errors";

/** Parsed command line: positionals and `--flag` / `--flag value` / `--flag=value` options. */
export interface Args {
  positional: string[];
  flags: Record<string, string | true>;
}

const withValue = new Set(["app", "to", "org", "root", "url", "interval", "timeout", "limit"]);

/** A command line Tower cannot act on: the CLI answers it with exit code 2 and the help hint. */
export class UsageError extends TowerError {
  constructor(message: string) {
    super("usage", message);
  }
}

export function parseArgs(argv: readonly string[], known: readonly string[]): Args {
  const out: Args = { positional: [], flags: {} };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith("--")) {
      out.positional.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const name = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
    if (!known.includes(name)) throw new UsageError(`unknown option --${name}`);
    if (withValue.has(name)) {
      const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
      out.flags[name] = value;
    } else out.flags[name] = true;
  }
  return out;
}
