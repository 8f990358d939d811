// `npm run schema`: writes schema/app.schema.json and schema/project.schema.json from src/config's
// zod schemas. The output is committed; test/unit/config/json-schema.test.ts checks it is current.
import { writeFileSync } from "node:fs";
import { jsonSchemas } from "../src/config/json-schema";

const schemas = jsonSchemas();
for (const [name, schema] of Object.entries(schemas)) {
  writeFileSync(new URL(`./${name}.schema.json`, import.meta.url), `${JSON.stringify(schema, null, 2)}\n`);
  console.log(`schema/${name}.schema.json`);
}
