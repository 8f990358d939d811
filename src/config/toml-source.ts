import { parse, TomlError } from "smol-toml";
import type { Locate, Position } from "./diagnostic";
import type { ParsedSource } from "./yaml-source";

/** Parses fly.toml. Never throws: syntax errors come back with smol-toml's line and column. */
export function parseTomlSource(text: string): ParsedSource {
  const lines = text.split("\n");
  const locate: Locate = (path) => locateInToml(lines, path);
  try {
    // A JSON round trip turns TOML dates into strings: the model is plain data.
    const value: unknown = JSON.parse(JSON.stringify(parse(text)));
    return { value, problems: [], locate };
  } catch (e) {
    const pos: Position = e instanceof TomlError ? { line: e.line, col: e.column } : { line: 1, col: 1 };
    const message = e instanceof Error ? e.message.split("\n")[0]! : String(e);
    return { value: undefined, problems: [{ pos, message }], locate };
  }
}

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * TOML parsers keep no positions, so find a field the way a reader would: the table header
 * (`[a.b]`, the n-th `[[a]]`) then the `key =` line after it. Best effort; 1:1 when not found.
 */
function locateInToml(lines: string[], path: readonly (string | number)[]): Position {
  let line = 0;
  let found = -1;
  const names: string[] = [];
  for (const seg of path) {
    if (typeof seg === "number") {
      const header = new RegExp(`^\\s*\\[\\[\\s*${esc(names.join("."))}\\s*\\]\\]`);
      let n = -1;
      for (let i = 0; i < lines.length; i++) {
        if (header.test(lines[i]!) && ++n === seg) {
          line = found = i;
          break;
        }
      }
      continue;
    }
    names.push(seg);
    const header = new RegExp(`^\\s*\\[\\[?\\s*${esc(names.join("."))}\\s*\\]`);
    const key = new RegExp(`^\\s*("?)${esc(seg)}\\1\\s*=`);
    for (let i = line; i < lines.length; i++) {
      if (header.test(lines[i]!) || key.test(lines[i]!)) {
        line = found = i;
        break;
      }
    }
  }
  if (found < 0) return { line: 1, col: 1 };
  const text = lines[found]!;
  return { line: found + 1, col: text.length - text.trimStart().length + 1 };
}
