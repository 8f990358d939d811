import { checkSchema } from "./check-schema";
import { applyCommon, MAX_SUBSTITUTED_BYTES, type StackedCommon, substitute } from "./common";
import { diagnostic, type Locate } from "./diagnostic";
import { extraChecks } from "./extra-checks";
import { hasPath, isPlainObject, type PlainObject } from "./merge";
import type { Diagnostic } from "./resolved-app";
import { appSchema } from "./schema/app-schema";
import { parseTomlSource } from "./toml-source";
import { parseYamlSource } from "./yaml-source";

/** A project file whose `common` shaped the app: errors from its defaults point there. */
export interface CommonOrigin {
  file: string;
  common: PlainObject;
  locate: Locate;
}

export interface AppFileResult {
  /** The app file merged with its projects' common; undefined when it has errors. */
  config?: PlainObject;
  diagnostics: Diagnostic[];
  /** Where a field of this file is, for later checks (flags, sources). */
  locate: Locate;
}

/**
 * One app file (app.yaml or fly.toml) → its merged, validated config: substitutions on the raw
 * text, parse, defaults < file < overrides, schema. Every problem is reported, not just the first.
 */
export function readAppFile(
  file: string,
  text: string,
  common: StackedCommon,
  origins: CommonOrigin[] = [],
): AppFileResult {
  const substituted = substitute(text, common);
  if (substituted === null) {
    const message = `substitutions would make this file larger than ${MAX_SUBSTITUTED_BYTES} bytes`;
    return {
      locate: () => ({ line: 1, col: 1 }),
      diagnostics: [diagnostic("error", file, { line: 1, col: 1 }, message)],
    };
  }
  const parsed = file.endsWith(".toml") ? parseTomlSource(substituted) : parseYamlSource(substituted);
  const { locate } = parsed;
  if (parsed.problems.length > 0) {
    return { locate, diagnostics: parsed.problems.map((p) => diagnostic("error", file, p.pos, p.message)) };
  }
  if (!isPlainObject(parsed.value)) {
    return {
      locate,
      diagnostics: [diagnostic("error", file, { line: 1, col: 1 }, "expected a mapping of fields at the top")],
    };
  }
  const own = parsed.value;
  const merged = applyCommon(own, common);
  const extra = extraChecks(merged);
  // A field Tower refuses is an error; do not also call it unknown.
  const refused = new Set(extra.map((f) => f.path.join(".")));
  const findings = [...checkSchema(appSchema, merged).filter((f) => !refused.has(f.path.join("."))), ...extra];
  const diagnostics = findings.map((f) => {
    // Point at what supplied the value: a project's override, else the app file, else a default.
    const from = (part: string) => origins.find((o) => hasPath(o.common[part], f.path));
    const override = from("app_overrides");
    const fallback = hasPath(own, f.path) ? undefined : from("app_defaults");
    const origin = override ?? fallback;
    const part = override ? "app_overrides" : "app_defaults";
    if (origin)
      return diagnostic(f.severity, origin.file, origin.locate(["common", part, ...f.path], f.at), f.message, f.path);
    return diagnostic(f.severity, file, locate(f.path, f.at), f.message, f.path);
  });
  diagnostics.sort((a, b) => (a.file === b.file ? a.line - b.line || a.col - b.col : 0));
  const failed = diagnostics.some((d) => d.severity === "error");
  return failed ? { locate, diagnostics } : { config: merged, locate, diagnostics };
}
