/**
 * Docs that cannot rot: every fenced snippet in README.md and docs/ is evaluated, parsed or run.
 * Config files go through src/config as Tower reads them; JSON examples through the API's own
 * schemas; each shell command is run (the tower CLI, wrangler's help for its subcommands) or
 * checked against what it names (npm scripts, secret names, API routes). The `sh local` blocks
 * (curl against `npm start`) are run by test/e2e/start.test.ts. A command no rule knows fails.
 */
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { appSchema, evaluateTree, memoryFileTree, projectSchema } from "../../../src/config";
import { createApi } from "../../../src/worker/api/create-api";
import { AppListSchema } from "../../../src/worker/api/schemas";
import { cliExamples, masked, readDoc } from "../../support/cli-examples";
import { commands, type Snippet, snippets } from "../../support/doc-snippets";

const run = promisify(execFile);
// Its region comes from a flag, so a project's own primary_region default is the one checked.
const PROBE_APP =
  'app: docs-probe\nsource:\n  type: image\n  image: busybox:1.36\nlaunch_params: ["--region", "iad"]\n';
const root = resolve(import.meta.dirname, "../../..");
const all = snippets(root);
const where = (s: Snippet) => `${s.doc}:${s.line}`;
const configFiles = all.filter((s) => ["yaml", "toml"].includes(s.lang) && s.words[0]);
const shell = all.filter((s) => s.lang === "sh");

const pkg = JSON.parse(readFileSync(resolve(root, "package.json"), "utf8")) as { scripts: Record<string, string> };
const secretNames = [...readFileSync(resolve(root, "src/env.ts"), "utf8").matchAll(/^\s+([A-Z_]+)\?: string;/gm)].map(
  (m) => m[1]!,
);

async function openApiPaths(): Promise<Record<string, string[]>> {
  const res = await createApi().request("/openapi.json", {}, { PUBLIC_API: "true" });
  const doc = (await res.json()) as { paths: Record<string, Record<string, unknown>> };
  return Object.fromEntries(Object.entries(doc.paths).map(([p, ops]) => [`/api${p}`, Object.keys(ops)]));
}

describe("doc snippets", () => {
  it("finds the snippets of every doc", () => {
    for (const doc of ["README.md", "docs/config.md", "docs/api.md", "docs/migrating-from-flycd.md", "docs/cli.md"])
      expect(
        all.some((s) => s.doc === doc),
        doc,
      ).toBe(true);
    expect(configFiles.length).toBeGreaterThanOrEqual(7);
  });

  it.each(
    configFiles.map((s) => [where(s), s] as const),
  )("config snippet %s evaluates as its tags say", async (_, s) => {
    const [file, ...tags] = s.words;
    expect(["app.yaml", "project.yaml", "fly.toml"], `${where(s)}: unknown file name`).toContain(file);
    // A project's common only shows its errors on an app: give it one to shape.
    const probe: Record<string, string> = file === "project.yaml" ? { "probe/app.yaml": PROBE_APP } : {};
    const evaluation = await evaluateTree(memoryFileTree({ [file!]: s.text, ...probe }), {
      defaultOrg: "personal",
      secrets: () => "set",
    });
    const { errors } = evaluation;
    // The probe's "the field wins over the flag" is about the probe, not the snippet.
    const warnings = evaluation.warnings.filter((w) => !w.file.startsWith("probe/"));
    if (tags.includes("invalid")) {
      expect(errors.length, `${where(s)} should have an error`).toBeGreaterThan(0);
      return;
    }
    expect(errors, where(s)).toEqual([]);
    if (tags.includes("warns")) expect(warnings.length, where(s)).toBeGreaterThan(0);
    else expect(warnings, where(s)).toEqual([]);
    expect(evaluation.apps.length, where(s)).toBe(1);
  });

  it("docs/config.md names every field of project.yaml and app.yaml", () => {
    const reference = readFileSync(resolve(root, "docs/config.md"), "utf8");
    const fields = [...Object.keys(projectSchema.shape), ...Object.keys(appSchema.shape)];
    // Written as `name`, `name.sub`, or fly.toml's `[name]`, `[[name]]`, `[name.sub]`.
    const spellings = (f: string) => [`\`${f}\``, `\`${f}.`, `\`[${f}]\``, `\`[[${f}]]\``, `\`[${f}.`];
    const missing = fields.filter((f) => !spellings(f).some((s) => reference.includes(s)));
    expect(missing).toEqual([]);
  });

  it("JSON examples match the API's schemas", () => {
    const json = all.filter((s) => s.lang === "json");
    expect(json.length).toBeGreaterThan(0);
    for (const s of json) {
      const value = JSON.parse(s.text);
      expect(AppListSchema.safeParse(value).success, where(s)).toBe(true);
    }
  });

  it("every shell command is run or checked", { timeout: 60_000 }, async () => {
    const paths = await openApiPaths();
    const wranglerChecked = new Set<string>();
    for (const s of shell) {
      for (const command of commands(s)) {
        const at = `${where(s)}: ${command}`;
        if (s.words.includes("local")) {
          // Run against a live stack by test/e2e/start.test.ts; here: that they stay runnable there.
          expect(command, at).toMatch(
            /^curl -s (-X POST -H "Authorization: Bearer \$ADMIN_TOKEN" )?"?http:\/\/127\.0\.0\.1:(8787|4280)\//,
          );
          continue;
        }
        let m: RegExpMatchArray | null;
        if ((m = command.match(/^npm (ci|start|test|run ([\w:-]+))(?: -- (--[\w-]+))?$/))) {
          if (m[1] === "ci") expect(existsSync(resolve(root, "package-lock.json")), at).toBe(true);
          else expect(pkg.scripts[m[2] ?? m[1]!], at).toBeDefined();
          // A flag must be one the script reads (test/e2e runs `demo:push -- --site` for real).
          if (m[3])
            expect(readFileSync(resolve(root, pkg.scripts[m[2]!]!.split(" ")[1]!), "utf8"), at).toContain(`"${m[3]}"`);
        } else if ((m = command.match(/^npx tower (validate|plan|repos|convert) (\S+)(.*)$/))) {
          // A placeholder config path (../my-…-config) is run on the example config.
          const path = m[2]!.startsWith("../my-") ? "examples/config" : m[2]!;
          const args = [m[1]!, path, ...m[3]!.trim().split(/\s+/).filter(Boolean)];
          // As written, through npx (`--no`: never from the registry; it is this package's bin).
          const { stdout } = await run("npx", ["--no", "tower", ...args], { cwd: root });
          expect(stdout.length, at).toBeGreaterThan(0);
        } else if ((m = command.match(/^npx wrangler secret (put|delete) ([A-Z_]+)$/))) {
          expect(secretNames, `${at}: not a secret Tower reads`).toContain(m[2]);
          await wranglerKnows(`secret ${m[1]}`, wranglerChecked);
        } else if ((m = command.match(/^npx wrangler (login|deploy)$/))) {
          await wranglerKnows(m[1]!, wranglerChecked);
        } else if (
          (m = command.match(/^curl (-X (POST) )?-H "Authorization: Bearer \$(API|ADMIN)_TOKEN" "\$TOWER(\/[^"?]*)"$/))
        ) {
          const method = (m[2] ?? "get").toLowerCase();
          expect(paths[m[4]!], `${at}: no such API route`).toContain(method);
          expect(m[3], `${at}: writes need ADMIN_TOKEN`).toBe(method === "post" ? "ADMIN" : "API");
        } else if (/^git clone <this repository's URL> tower$|^cd tower$/.test(command)) {
          // Plain git and the shell: nothing of Tower's to check.
        } else {
          throw new Error(`${at}: no rule runs or checks this command; add one to ${import.meta.filename}`);
        }
      }
    }
  });
});

describe("docs/cli.md", () => {
  const examples = cliExamples(root);

  it("has a section and an example for every command tower help lists", { timeout: 30_000 }, async () => {
    const { stdout } = await run(process.execPath, ["bin/tower.mjs", "help"], { cwd: root });
    const names = [...stdout.matchAll(/^ {2}([a-z]+) {2,}/gm)].map((m) => m[1]!);
    expect(names.length).toBeGreaterThanOrEqual(11);
    const doc = readDoc(root);
    for (const name of names) {
      expect(doc, name).toMatch(new RegExp(`^###.*\`tower ${name}[ \`]`, "m"));
      expect(
        examples.some((e) => e.args[0] === name),
        `no example of tower ${name}`,
      ).toBe(true);
    }
  });

  it.each(examples.filter((e) => !e.local).map((e) => [e.at, e] as const))(
    "%s prints what the doc shows",
    { timeout: 30_000 },
    async (_, example) => {
      // The `local` ones need \`npm start\`: test/e2e/start.test.ts runs them.
      const env = { ...process.env, FLY_API_TOKEN: "", TOWER_URL: "", NO_COLOR: "1" };
      const r = await run(process.execPath, ["bin/tower.mjs", ...example.args], { cwd: root, env }).then(
        ({ stdout, stderr }) => ({ code: 0, out: stdout + stderr }),
        (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
      );
      expect(masked(r.out)).toBe(masked(example.output));
      expect(r.code).toBe(example.exit);
    },
  );
});

async function wranglerKnows(subcommand: string, checked: Set<string>): Promise<void> {
  if (checked.has(subcommand)) return;
  checked.add(subcommand);
  const { stdout } = await run(
    process.execPath,
    ["node_modules/wrangler/bin/wrangler.js", ...subcommand.split(" "), "--help"],
    {
      cwd: root,
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" },
    },
  );
  expect(stdout).toContain(`wrangler ${subcommand}`);
}
