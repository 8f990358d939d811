import { Alias, isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from "yaml";
import type { Locate, Position } from "./diagnostic";

export interface ParsedSource {
  /** The document as plain data; undefined when it could not be parsed. */
  value: unknown;
  /** Syntax problems, with their places. */
  problems: { pos: Position; message: string }[];
  locate: Locate;
}

/** Parses YAML keeping node positions, so later errors can name line and column. Never throws. */
export function parseYamlSource(text: string): ParsedSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const at = (offset: number): Position => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, col: p.col };
  };
  const problems = doc.errors.map((e) => ({ pos: at(e.pos[0]), message: e.message.split("\n")[0]! }));
  let value: unknown;
  if (problems.length === 0) {
    try {
      value = doc.toJS({ maxAliasCount: 100 }) ?? {};
    } catch (e) {
      problems.push({ pos: { line: 1, col: 1 }, message: (e as Error).message });
    }
  }
  const locate: Locate = (path, target = "value") => {
    let node: unknown = doc.contents;
    let offset = 0;
    for (const [i, seg] of path.entries()) {
      if (node instanceof Alias) node = node.resolve(doc);
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
        if (!pair) break;
        offset = (pair.key as Node).range?.[0] ?? offset;
        node = pair.value;
        if (target === "key" && i === path.length - 1) break;
        if (node && (node as Node).range) offset = (node as Node).range![0];
      } else if (isSeq(node) && typeof seg === "number" && node.items[seg]) {
        node = node.items[seg];
        offset = (node as Node).range?.[0] ?? offset;
      } else break;
    }
    return at(offset);
  };
  return { value, problems, locate };
}
