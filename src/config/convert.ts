import { stringify as tomlStringify } from "smol-toml";
import { stringify as yamlStringify } from "yaml";
import { diagnostic } from "./diagnostic";
import { isPlainObject } from "./merge";
import type { Diagnostic } from "./resolved-app";
import { parseTomlSource } from "./toml-source";
import { parseYamlSource } from "./yaml-source";

export type ConvertResult = { text: string; errors: [] } | { text?: undefined; errors: Diagnostic[] };

/** fly.toml → app.yaml, adding `source: {type: local}` as flycd did. Every field is kept. */
export function flyTomlToAppYaml(text: string, file = "fly.toml"): ConvertResult {
  const parsed = parseTomlSource(text);
  if (parsed.problems.length > 0 || !isPlainObject(parsed.value))
    return { errors: parsed.problems.map((p) => diagnostic("error", file, p.pos, p.message)) };
  const value = parsed.value.source === undefined ? { ...parsed.value, source: { type: "local" } } : parsed.value;
  return { text: yamlStringify(value, { lineWidth: 0 }), errors: [] };
}

/** app.yaml → fly.toml. The `source: {type: local}` that the way there added is dropped again. */
export function appYamlToFlyToml(text: string, file = "app.yaml"): ConvertResult {
  const parsed = parseYamlSource(text);
  if (parsed.problems.length > 0 || !isPlainObject(parsed.value))
    return {
      errors: parsed.problems.length
        ? parsed.problems.map((p) => diagnostic("error", file, p.pos, p.message))
        : [diagnostic("error", file, { line: 1, col: 1 }, "expected a mapping of fields at the top")],
    };
  const { source, ...rest } = parsed.value;
  const plainLocal = isPlainObject(source) && source.type === "local" && Object.keys(source).length === 1;
  const value = source === undefined || plainLocal ? rest : { ...rest, source };
  try {
    return { text: tomlStringify(value), errors: [] };
  } catch (e) {
    return {
      errors: [diagnostic("error", file, { line: 1, col: 1 }, `cannot be written as TOML: ${(e as Error).message}`)],
    };
  }
}
