import { z } from "zod";
import { appSchema } from "./schema/app-schema";
import { projectSchema } from "./schema/project-schema";

/**
 * JSON Schemas of app.yaml and project.yaml for editors. Objects stay open
 * (`additionalProperties` dropped): Tower keeps unknown fields and only warns about them.
 */
export function jsonSchemas(): { app: object; project: object } {
  const make = (schema: z.ZodType, title: string, id: string) => ({
    ...open(z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as Record<string, unknown>),
    $id: id,
    title,
  });
  return {
    app: make(appSchema, "Tower app.yaml (fly.toml fields plus flycd's)", "https://tower.dev/schema/app.schema.json"),
    project: make(projectSchema, "Tower project.yaml", "https://tower.dev/schema/project.schema.json"),
  };
}

function open(node: unknown): Record<string, unknown> {
  if (Array.isArray(node)) return node.map(open) as unknown as Record<string, unknown>;
  if (node === null || typeof node !== "object") return node as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) if (!(k === "additionalProperties" && v === false)) out[k] = open(v);
  return out;
}
