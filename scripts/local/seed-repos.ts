/**
 * Puts the example repos on the local git server: examples/config as `tower-demo-config` and
 * examples/site as `tower-demo-site`, one commit each. Only the two substitution values in the
 * config's project.yaml change: they name this git server and the app-name prefix.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { parseDocument } from "yaml";
import { createRepo, type FixtureRepo } from "../../test/support/fixture-repo";

export interface SeededRepos {
  config: FixtureRepo;
  site: FixtureRepo;
}

export async function seedRepos(root: string, gitUrl: string, prefix: string): Promise<SeededRepos> {
  const examples = join(root, "examples");
  const configFiles = readTree(join(examples, "config"));
  configFiles["project.yaml"] = withSubstitutions(configFiles["project.yaml"]!, {
    __PREFIX__: prefix,
    __GIT__: gitUrl,
  });
  const site = await createRepo(gitUrl, "tower-demo-site", { exact: true });
  await site.commit(readTree(join(examples, "site")), { message: "example site" });
  const config = await createRepo(gitUrl, "tower-demo-config", { exact: true });
  await config.commit(configFiles, { message: "example config" });
  return { config, site };
}

export function withSubstitutions(projectYaml: string, values: Record<string, string>): string {
  const doc = parseDocument(projectYaml);
  for (const [key, value] of Object.entries(values)) doc.setIn(["common", "substitutions", key], value);
  return doc.toString();
}

function readTree(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (at: string) => {
    for (const name of readdirSync(at)) {
      const path = join(at, name);
      if (statSync(path).isDirectory()) walk(path);
      else files[relative(dir, path).split("\\").join("/")] = readFileSync(path, "utf8");
    }
  };
  walk(dir);
  return files;
}
