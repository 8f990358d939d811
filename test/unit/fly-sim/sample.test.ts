import { describe, expect, it } from "vitest";
import { z } from "zod";
import * as requests from "../../fly-sim/schemas/requests";
import { fieldPaths, type JsonSchema, sampleValue, variantCount } from "../../fly-sim/schemas/sample";

const toJson = (s: z.ZodType) => z.toJSONSchema(s, { io: "input", unrepresentable: "any" }) as JsonSchema;

describe("fly-sim schema samples (used by check-schemas.ts)", () => {
  it("fills every field, nested, with one entry per map and item per list", () => {
    const schema = z.strictObject({
      a: z.string().optional(),
      n: z.strictObject({ b: z.number().int().min(5), c: z.array(z.strictObject({ d: z.boolean() })) }).partial(),
      m: z.record(z.string(), z.strictObject({ e: z.string() })).optional(),
    });
    const value = sampleValue(toJson(schema), 0);
    expect(value).toEqual({ a: "sample", n: { b: 5, c: [{ d: true }] }, m: { sample_key: { e: "sample" } } });
    expect(fieldPaths(value)).toEqual([
      ".a",
      ".n",
      ".n.b",
      ".n.c",
      ".n.c[].d",
      ".m",
      ".m.sample_key",
      ".m.sample_key.e",
    ]);
  });

  it("uses every enum value across its variants", () => {
    const json = toJson(z.strictObject({ small: z.enum(["x", "y"]), big: z.enum(["p", "q", "r"]) }));
    expect(variantCount(json)).toBe(3);
    const seen = [0, 1, 2].map((k) => sampleValue(json, k));
    expect(seen).toEqual([
      { small: "x", big: "p" },
      { small: "y", big: "q" },
      { small: "x", big: "r" },
    ]);
  });

  it("refuses a pattern it has no sample for, naming the field", () => {
    const json = toJson(z.strictObject({ id: z.string().regex(/^[A-Z]{3}$/) }));
    expect(() => sampleValue(json, 0)).toThrow("body.id: no sample string matches");
  });

  it("builds bodies every simulator request schema accepts", () => {
    for (const [name, schema] of Object.entries(requests)) {
      const json = toJson(schema);
      for (let k = 0; k < variantCount(json); k++) {
        const result = schema.safeParse(sampleValue(json, k));
        expect(result.success, `${name} variant ${k}: ${result.error?.message}`).toBe(true);
      }
    }
  });
});
