import { checkSchema } from "./check-schema";
import { compilePattern } from "./common";
import { diagnostic, type Locate } from "./diagnostic";
import { isPlainObject, type PlainObject } from "./merge";
import type { Diagnostic } from "./resolved-app";
import { projectSchema } from "./schema/project-schema";
import { parseYamlSource } from "./yaml-source";

export interface ProjectFileResult {
  /** The validated project.yaml; undefined when it has errors. */
  project?: PlainObject & { project: string };
  diagnostics: Diagnostic[];
  locate: Locate;
}

/** Parses and checks one project.yaml, including that each substitution compiles. */
export function readProjectFile(file: string, text: string): ProjectFileResult {
  const parsed = parseYamlSource(text);
  const { locate } = parsed;
  if (parsed.problems.length > 0)
    return { locate, diagnostics: parsed.problems.map((p) => diagnostic("error", file, p.pos, p.message)) };
  if (!isPlainObject(parsed.value))
    return {
      locate,
      diagnostics: [diagnostic("error", file, { line: 1, col: 1 }, "expected a mapping of fields at the top")],
    };
  const value = parsed.value;
  const diagnostics = checkSchema(projectSchema, value).map((f) =>
    diagnostic(f.severity, file, locate(f.path, f.at), f.message, f.path),
  );
  const common = isPlainObject(value.common) ? value.common : {};
  for (const pattern of Object.keys(isPlainObject(common.substitutions) ? common.substitutions : {})) {
    const refused = compilePattern(pattern);
    if (typeof refused !== "string") continue;
    const path = ["common", "substitutions", pattern];
    diagnostics.push(diagnostic("error", file, locate(path, "key"), refused, path));
  }
  if (diagnostics.some((d) => d.severity === "error")) return { locate, diagnostics };
  return { project: value as PlainObject & { project: string }, locate, diagnostics };
}
