/**
 * Example values built from a JSON Schema (as `z.toJSONSchema` writes it) that use every
 * property the schema declares, recursively. Used by check-schemas.ts to hold the simulator's
 * request schemas against Fly's API description: a field the simulator accepts must be one Fly
 * declares. Variant k picks the k-th option of every enum and union (wrapping), so together the
 * variants use every option the schema allows.
 */

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema | boolean;
  items?: JsonSchema;
  prefixItems?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  pattern?: string;
  minimum?: number;
}

/** Strings tried, in order, against a `pattern` (names, Go durations). */
const PATTERN_SAMPLES = ["sample", "10s"];

/** How many variants it takes to use every enum value and union option once. */
export function variantCount(s: JsonSchema): number {
  const own = Math.max(s.enum?.length ?? 1, (s.anyOf ?? s.oneOf)?.length ?? 1);
  const children = [
    ...Object.values(s.properties ?? {}),
    ...(typeof s.additionalProperties === "object" ? [s.additionalProperties] : []),
    ...(s.items ? [s.items] : []),
    ...(s.prefixItems ?? []),
    ...(s.anyOf ?? s.oneOf ?? []),
    ...(s.allOf ?? []),
  ];
  return Math.max(own, ...children.map(variantCount));
}

export function sampleValue(s: JsonSchema, k: number, at = "body"): unknown {
  if (s.const !== undefined) return s.const;
  if (s.enum) return s.enum[k % s.enum.length];
  const options = s.anyOf ?? s.oneOf;
  if (options) return sampleValue(options[k % options.length]!, k, at);
  if (s.allOf) return Object.assign({}, ...s.allOf.map((sub) => sampleValue(sub, k, at)));
  const type = Array.isArray(s.type) ? s.type[k % s.type.length] : s.type;
  switch (type) {
    case "object": {
      const out: Record<string, unknown> = {};
      for (const [name, sub] of Object.entries(s.properties ?? {})) out[name] = sampleValue(sub, k, `${at}.${name}`);
      // A map (z.record): one entry shows what its values may be.
      if (typeof s.additionalProperties === "object")
        out.sample_key = sampleValue(s.additionalProperties, k, `${at}.sample_key`);
      return out;
    }
    case "array":
      if (s.prefixItems) return s.prefixItems.map((sub, i) => sampleValue(sub, k, `${at}[${i}]`));
      return s.items ? [sampleValue(s.items, k, `${at}[0]`)] : [];
    case "string":
      return sampleString(s, at);
    case "integer":
    case "number":
      return Math.max(s.minimum ?? 1, 1);
    case "boolean":
      return k % 2 === 0;
    case "null":
      return null;
    default:
      // `{}` (z.unknown): any JSON value is allowed, so a string stands for it.
      return "sample";
  }
}

function sampleString(s: JsonSchema, at: string): string {
  if (!s.pattern) return "sample";
  const re = new RegExp(s.pattern, "u");
  const fit = PATTERN_SAMPLES.find((c) => re.test(c));
  if (fit === undefined) throw new Error(`${at}: no sample string matches /${s.pattern}/; add one to PATTERN_SAMPLES`);
  return fit;
}

/** Every field a value uses, as dotted paths (for the summary count). */
export function fieldPaths(value: unknown, at = ""): string[] {
  if (Array.isArray(value)) return value.flatMap((v) => fieldPaths(v, `${at}[]`));
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([k, v]) => [`${at}.${k}`, ...fieldPaths(v, `${at}.${k}`)]);
}
