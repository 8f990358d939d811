/**
 * Holds the simulator's request schemas against Fly's API description (issue 4):
 *   tsx test/fly-sim/check-schemas.ts ../shared/tools/fly-contract.mjs [spec.json]
 * For every route the simulator answers: the operation and its query parameters must exist in
 * the description, and a body using every field the simulator's zod schema accepts (every enum
 * value too) must pass the contract's checkRequest. Prints each problem; exits 1 on any.
 */
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { z } from "zod";
import { routes } from "./routes";
import * as req from "./schemas/requests";
import { fieldPaths, type JsonSchema, sampleValue, variantCount } from "./schemas/sample";

interface Contract {
  checkRequest(method: string, path: string, body?: unknown, query?: Record<string, string>): { problems: string[] };
  match(
    method: string,
    path: string,
  ): { op: { operationId?: string; parameters?: { in: string; name: string }[] } } | null;
}
interface ContractModule {
  loadContract(specPath?: string): Contract;
  defaultSpecPath: string;
}

const A = "/apps/{app_name}";
const M = `${A}/machines/{machine_id}`;

/** The schema each body-taking route's handler parses, by "METHOD template". */
const bodySchemas: Record<string, z.ZodType> = {
  "POST /apps": req.createAppRequest,
  [`POST ${A}/machines`]: req.createMachineRequest,
  [`POST ${M}`]: req.updateMachineRequest,
  [`POST ${M}/stop`]: req.stopRequest,
  [`POST ${M}/signal`]: req.signalRequest,
  [`POST ${M}/lease`]: req.createLeaseRequest,
  [`PUT ${M}/metadata`]: req.updateMetadataRequest,
  [`PATCH ${M}/metadata`]: req.updateMetadataRequest,
  [`POST ${M}/metadata/{key}`]: req.upsertMetadataKeyRequest,
  [`POST ${A}/volumes`]: req.createVolumeRequest,
  [`PUT ${A}/volumes/{volume_id}`]: req.updateVolumeRequest,
  [`PUT ${A}/volumes/{volume_id}/extend`]: req.extendVolumeRequest,
  [`POST ${A}/secrets`]: req.appSecretsUpdateRequest,
  [`POST ${A}/secrets/{secret_name}`]: req.setAppSecretRequest,
  [`POST ${A}/ip_assignments`]: req.assignIpRequest,
  [`POST ${A}/deploy_token`]: req.createDeployTokenRequest,
  [`POST ${A}/certificates/acme`]: req.createAcmeCertificateRequest,
};

const [contractPath, specPath] = process.argv.slice(2);
if (!contractPath) {
  console.error("usage: tsx test/fly-sim/check-schemas.ts <path to fly-contract.mjs> [openapi spec]");
  process.exit(2);
}
const mod = (await import(pathToFileURL(resolve(contractPath)).href)) as ContractModule;
const contract = mod.loadContract(specPath ? resolve(specPath) : undefined);

const problems = new Set<string>();
const fields = new Set<string>();
const unused = new Set(Object.keys(bodySchemas));

for (const route of routes) {
  const key = `${route.method} ${route.template}`;
  const path = `/v1${route.template.replace(/\{[^}]+\}/g, "sample")}`;
  const found = contract.match(route.method, path);
  if (!found) {
    problems.add(`${key}: no such operation in the API description`);
    continue;
  }
  if (found.op.operationId !== route.operation)
    problems.add(`${key}: simulator calls it ${route.operation}, the description ${found.op.operationId}`);
  const declared = new Set((found.op.parameters ?? []).filter((p) => p.in === "query").map((p) => p.name));
  // A parameter the description leaves out passes only when the contract knows Fly's clients send it
  // (e.g. fly-go's `POST /apps?wait=true`).
  for (const name of route.query ?? []) {
    if (declared.has(name)) continue;
    const asked = contract.checkRequest(route.method, `${path}?${name}=true`, undefined).problems;
    if (asked.some((p) => p.includes(`"${name}"`)))
      problems.add(`${key}: query parameter "${name}" not in the API description`);
  }

  unused.delete(key);
  const schema = bodySchemas[key];
  if (!route.body) continue;
  if (!schema) {
    problems.add(`${key}: takes a body but check-schemas.ts lists no schema for it`);
    continue;
  }
  const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema;
  for (let k = 0; k < variantCount(json); k++) {
    const body = sampleValue(json, k);
    // The body must be one the simulator accepts, or the check proves nothing.
    const own = schema.safeParse(body);
    if (!own.success) problems.add(`${key}: sample body refused by the simulator itself: ${own.error.message}`);
    for (const p of contract.checkRequest(route.method, path, body).problems) problems.add(p);
    for (const f of fieldPaths(body)) fields.add(`${key} body${f}`);
  }
}
for (const key of unused) problems.add(`${key}: listed in check-schemas.ts but the simulator has no such route`);

for (const p of problems) console.log(`problem: ${p}`);
console.log(
  `fly-sim schemas vs ${specPath ?? mod.defaultSpecPath}: ${routes.length} operations, ` +
    `${fields.size} body fields, ${problems.size} problem${problems.size === 1 ? "" : "s"}`,
);
process.exitCode = problems.size > 0 ? 1 : 0;
