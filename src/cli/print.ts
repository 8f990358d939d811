import { type Diagnostic, formatDiagnostic } from "../config";

export function printJson(value: unknown) {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Diagnostics go to stderr, one per line, compiler style. */
export function printDiagnostics(list: readonly Diagnostic[]) {
  for (const d of list) process.stderr.write(`${formatDiagnostic(d)}\n`);
}

export function summary(errors: number, warnings: number): string {
  return `${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}`;
}
