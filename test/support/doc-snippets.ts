/**
 * The fenced code blocks of Tower's Markdown docs, so tests can run or check each one. A fence's
 * info string is `<lang> [file name] [tags…]`: ```yaml app.yaml```, ```sh local```,
 * ```yaml app.yaml invalid```. Fences inside list items are dedented.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

export interface Snippet {
  doc: string;
  /** 1-based line of the opening fence, for messages. */
  line: number;
  lang: string;
  words: string[];
  text: string;
}

export const DOCS = [
  "README.md",
  "docs/config.md",
  "docs/api.md",
  "docs/migrating-from-flycd.md",
  "docs/feedback.md",
  "docs/previews.md",
  "docs/cli.md",
];

const FENCE = /^([ \t]*)```(\S*)([^\n]*)\n([\s\S]*?)^\1```[ \t]*$/gm;

export function snippets(root: string, docs = DOCS): Snippet[] {
  const out: Snippet[] = [];
  for (const doc of docs) {
    const text = readFileSync(join(root, doc), "utf8");
    for (const m of text.matchAll(FENCE)) {
      const indent = m[1]!.length;
      const body = m[4]!
        .split("\n")
        .map((l) => l.slice(Math.min(indent, l.length - l.trimStart().length)))
        .join("\n");
      const line = text.slice(0, m.index).split("\n").length;
      out.push({ doc, line, lang: m[2]!, words: m[3]!.trim().split(/\s+/).filter(Boolean), text: body });
    }
  }
  return out;
}

/** The commands of a shell snippet: one a line, comments and blank lines dropped. */
export function commands(snippet: Snippet): string[] {
  return snippet.text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"));
}
