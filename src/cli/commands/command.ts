import type { Args } from "../args";

/** One `tower` subcommand: parses and prints only; the work is src/config's. */
export interface Command {
  name: string;
  summary: string;
  /** Options besides --json and --help. */
  options: string[];
  help: string;
  /** Returns the exit code: 0 fine, 1 errors in the config. */
  run(args: Args): Promise<number>;
}
