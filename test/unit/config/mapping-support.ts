import { readFileSync } from "node:fs";
import type { DesiredApp } from "../../../src/config";
import { evaluateTree, memoryFileTree, toDesiredApp } from "../../../src/config";

export const mappingDir = new URL("../../fixtures/config/mapping/", import.meta.url);

/** Evaluates one mapping fixture as a one-app tree and maps it with fixed release options. */
export async function desiredFromFixture(name: string): Promise<DesiredApp> {
  const text = readFileSync(new URL(name, mappingDir), "utf8");
  const file = name.endsWith(".toml") ? "app/fly.toml" : "app/app.yaml";
  const ev = await evaluateTree(memoryFileTree({ [file]: text }), { secrets: () => undefined, defaultOrg: "acme" });
  if (ev.errors.length > 0 || ev.apps.length !== 1) throw new Error(`${name}: ${JSON.stringify(ev.errors)}`);
  const app = ev.apps[0]!;
  const desired = toDesiredApp(app, {
    image: "registry.fly.io/test:deployment-1",
    secretValues: { APP_TOKEN: "value" },
    releaseId: "rel_1",
    releaseVersion: 7,
    secretsKey: "mapping-fixture-key",
  });
  // The hash has its own tests; here it would only make every expectation change together.
  return JSON.parse(JSON.stringify(desired).replaceAll(app.configHash, "HASH"));
}
