import type { Diagnostic } from "./resolved-app";

export type Position = { line: number; col: number };
/** Finds where a field path is in a file's text (1-based line and column; 1:1 when unknown). */
export type Locate = (path: readonly (string | number)[], at?: "key" | "value") => Position;

export function diagnostic(
  severity: Diagnostic["severity"],
  file: string,
  pos: Position,
  message: string,
  path?: readonly (string | number)[],
): Diagnostic {
  const d: Diagnostic = { severity, file, line: pos.line, col: pos.col, message };
  if (path && path.length > 0) d.path = formatPath(path);
  return d;
}

/** `http_service.checks[0].path` */
export function formatPath(path: readonly (string | number | symbol)[]): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else out += out ? `.${String(seg)}` : String(seg);
  }
  return out;
}

/** `file:line:col: path: message`, the way compilers print. */
export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.col}: ${d.severity}: ${d.path ? `${d.path}: ` : ""}${d.message}`;
}
