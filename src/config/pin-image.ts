/**
 * Rewrites the pinned image (`ghcr.io/acme/api:1.4.2@sha256:…`) in the file and at the field it
 * came from, touching nothing else: the yaml Document API finds the value's node and its exact
 * source range, and only those characters change (same quoting), so comments, key order, blank
 * lines and flow style all stay. TOML parsers keep no positions: the value is found as the
 * `image = "…"` line of the `[build]` table (or a root `build.image = "…"`). Either way the
 * result is parsed again and must differ from the original in that one value only; anything
 * else is a conflict, and the caller commits nothing.
 */

import { parse as parseToml } from "smol-toml";
import { isScalar, parseDocument, Scalar } from "yaml";
import { canonicalJson } from "../base/canonical";

export type PinEdit =
  | { kind: "edited"; text: string; previous: string }
  | { kind: "unchanged" }
  | { kind: "conflict"; reason: string };

export interface PinRequest {
  file: string;
  text: string;
  /** Field path of the pinned image: `["source", "image"]` (app.yaml), `["build", "image"]` (fly.toml). */
  path: string[];
  /** The value now there must name this image (registry/repository): `ghcr.io/acme/api`. */
  sameImage: (current: string) => boolean;
  /** The new value: `ghcr.io/acme/api:1.5.0@sha256:…`. */
  next: string;
}

const SAFE_VALUE = /^[A-Za-z0-9._/:@-]{1,512}$/;

export function pinImage(req: PinRequest): PinEdit {
  if (!SAFE_VALUE.test(req.next)) return conflict(`"${req.next.slice(0, 80)}" is not an image reference`);
  const edit = req.file.endsWith(".toml") ? editToml(req) : editYaml(req);
  if (edit.kind !== "edited") return edit;
  // The post-condition: the file still parses and only the pinned value changed.
  const before = readValue(req.file, req.text);
  const after = readValue(req.file, edit.text);
  if (before === undefined || after === undefined) return conflict(`${req.file} does not parse after the edit`);
  setPath(before, req.path, req.next);
  if (canonicalJson(before) !== canonicalJson(after))
    return conflict(`editing ${req.file} would change more than the image`);
  return edit;
}

function editYaml(req: PinRequest): PinEdit {
  const doc = parseDocument(req.text, { keepSourceTokens: true });
  if (doc.errors.length > 0) return conflict(`${req.file} does not parse: ${doc.errors[0]?.message.split("\n")[0]}`);
  const node = doc.getIn(req.path, true);
  if (!isScalar(node) || typeof node.value !== "string" || !node.range) {
    return conflict(`${req.file} has no ${req.path.join(".")} to pin`);
  }
  const current = node.value;
  if (!req.sameImage(current)) return conflict(`${req.file} ${req.path.join(".")} now names ${current.slice(0, 120)}`);
  if (current === req.next) return { kind: "unchanged" };
  const quote =
    node.type === Scalar.QUOTE_DOUBLE
      ? '"'
      : node.type === Scalar.QUOTE_SINGLE
        ? "'"
        : node.type === Scalar.PLAIN
          ? ""
          : undefined;
  if (quote === undefined)
    return conflict(`${req.file} ${req.path.join(".")} is a block scalar; Tower edits one-line values`);
  const [start, end] = node.range;
  return {
    kind: "edited",
    text: req.text.slice(0, start) + quote + req.next + quote + req.text.slice(end),
    previous: current,
  };
}

function editToml(req: PinRequest): PinEdit {
  if (req.path.length !== 2) return conflict(`Tower pins ${req.path.join(".")} in TOML only as table.key`);
  const [table, key] = req.path as [string, string];
  const lines = req.text.split("\n");
  const header = /^\s*\[\s*([A-Za-z0-9_.-]+)\s*\]\s*(#.*)?$/;
  const valueLine = (name: string) =>
    new RegExp(`^(\\s*${name.replaceAll(".", "\\.")}\\s*=\\s*)(["'])([^"'\\\\]*)\\2(\\s*(#.*)?)$`);
  let inTable: string | undefined = "";
  let hit: { index: number; m: RegExpExecArray } | undefined;
  for (const [index, line] of lines.entries()) {
    const h = header.exec(line);
    if (h) {
      inTable = h[1];
      continue;
    }
    if (/^\s*\[\[/.test(line)) {
      inTable = undefined;
      continue;
    }
    const m =
      inTable === table ? valueLine(key).exec(line) : inTable === "" ? valueLine(`${table}.${key}`).exec(line) : null;
    if (m) {
      if (hit) return conflict(`${req.file} sets ${table}.${key} twice`);
      hit = { index, m };
    }
  }
  if (!hit) return conflict(`${req.file} has no ${table}.${key} = "…" line to pin`);
  const [, lead, quote, current = "", tail] = hit.m;
  if (!req.sameImage(current)) return conflict(`${req.file} ${table}.${key} now names ${current.slice(0, 120)}`);
  if (current === req.next) return { kind: "unchanged" };
  lines[hit.index] = `${lead}${quote}${req.next}${quote}${tail}`;
  return { kind: "edited", text: lines.join("\n"), previous: current };
}

function readValue(file: string, text: string): Record<string, unknown> | undefined {
  try {
    const value = file.endsWith(".toml") ? parseToml(text) : parseDocument(text).toJS();
    return JSON.parse(JSON.stringify(value ?? {}));
  } catch {
    return undefined;
  }
}

function setPath(target: Record<string, unknown>, path: string[], value: string) {
  let at: Record<string, unknown> = target;
  for (const key of path.slice(0, -1)) at = (at[key] ?? {}) as Record<string, unknown>;
  const last = path.at(-1);
  if (last !== undefined) at[last] = value;
}

function conflict(reason: string): PinEdit {
  return { kind: "conflict", reason };
}
