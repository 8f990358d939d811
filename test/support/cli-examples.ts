/**
 * The `console` examples of docs/cli.md: `$ npx tower …` lines, each followed by the output it
 * printed. Tests run each command for real and compare its output with the documented one, with
 * what differs from run to run (times, ages, durations, ids, digests, ports, column padding)
 * masked on both sides. Tags after `console`: `local` (needs `npm start`: run by test/e2e),
 * `exit=N` (the exit code the example ends with).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type Snippet, snippets } from "./doc-snippets";

export const CLI_DOC = "docs/cli.md";

export interface CliExample {
  at: string;
  local: boolean;
  exit: number;
  /** The arguments after `npx tower`. */
  args: string[];
  output: string;
}

export function cliExamples(root: string): CliExample[] {
  return snippets(root, [CLI_DOC])
    .filter((s) => s.lang === "console")
    .flatMap((s) => examplesOf(s));
}

function examplesOf(s: Snippet): CliExample[] {
  const out: CliExample[] = [];
  const exit = Number(s.words.find((w) => w.startsWith("exit="))?.slice(5) ?? 0);
  for (const [i, chunk] of s.text.split(/^\$ /m).slice(1).entries()) {
    const [command, ...output] = chunk.split("\n");
    const words = command!.trim().split(/\s+/);
    if (words[0] !== "npx" || words[1] !== "tower") throw new Error(`${s.doc}:${s.line}: not an npx tower command`);
    out.push({
      at: `${s.doc}:${s.line} #${i + 1}`,
      local: s.words.includes("local"),
      exit,
      args: words.slice(2),
      output: output.join("\n"),
    });
  }
  return out;
}

const MASKS: [RegExp, string][] = [
  [/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, "<time>"],
  [/sha256:[0-9a-f]{12,64}…?/g, "<digest>"],
  [/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, "<uuid>"],
  [/\b\d+[smhd] ago\b/g, "<age>"],
  [/\b\d+\.\ds\b|\b\d+m\d\ds\b/g, "<duration>"],
  [/\bd[0-9a-z]{16}\b/g, "<deploy>"],
  [/\b[0-9a-f]{12,40}\b/g, "<hex>"],
  [/127\.0\.0\.1:\d+/g, "127.0.0.1:<port>"],
];

/** Output as compared: volatile parts masked, runs of spaces (column padding) as one. */
export function masked(text: string): string {
  let t = text;
  for (const [re, to] of MASKS) t = t.replace(re, to);
  return t
    .split("\n")
    .map((l) => l.replace(/ {2,}/g, " ").trimEnd())
    .join("\n")
    .trim();
}

export function readDoc(root: string): string {
  return readFileSync(join(root, CLI_DOC), "utf8");
}
