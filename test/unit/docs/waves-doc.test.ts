/**
 * docs/waves.md cannot rot: its config snippets (named by path) are one config repo, evaluated as
 * Tower reads it, before and after the images file the walkthrough shows; its shell commands name
 * API routes that exist, with the token each needs, and secrets Tower reads.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { evaluateTree, memoryFileTree } from "../../../src/config";
import { createApi } from "../../../src/worker/api/create-api";
import { commands, snippets } from "../../support/doc-snippets";

const root = resolve(import.meta.dirname, "../../..");
const all = snippets(root, ["docs/waves.md"]);
const files = (lang: string[]) =>
  all.filter((s) => lang.includes(s.lang) && s.words[0]?.includes(".") && !s.words[0]?.startsWith("images/"));
const options = { defaultOrg: "personal", secrets: () => undefined };

describe("docs/waves.md", () => {
  // The walkthrough's repo: the first project.yaml and the wave apps (the gate and build examples stand alone).
  const repo = Object.fromEntries(
    files(["yaml"])
      .filter(
        (s, i, list) => s.words[0] !== "project.yaml" || list.findIndex((o) => o.words[0] === "project.yaml") === i,
      )
      .filter((s) => s.words[0] !== "staging/web/app.yaml")
      .map((s) => [s.words[0]!, s.text]),
  );

  it("the three-wave repo evaluates: every app waits for its first image, no errors", async () => {
    expect(Object.keys(repo).sort()).toEqual([
      "internal/api/app.yaml",
      "production/api/app.yaml",
      "project.yaml",
      "staging/api/app.yaml",
    ]);
    const result = await evaluateTree(memoryFileTree(repo), options);
    expect(result.errors).toEqual([]);
    expect(result.apps).toEqual([]);
    expect(result.waves?.waves.map((w) => [w.name, w.waiting, w.soakMs, w.approve])).toEqual([
      ["staging", ["acme-stg-api"], 0, "auto"],
      ["internal", ["acme-int-api"], 600_000, "auto"],
      ["production", ["acme-api"], 3_600_000, "manual"],
    ]);
  });

  it("after the announcement's images file, staging's app deploys its digest", async () => {
    const images = all.find((s) => s.lang === "json" && s.words[0] === "images/staging.json")!;
    const result = await evaluateTree(memoryFileTree({ ...repo, "images/staging.json": images.text }), options);
    expect(result.errors).toEqual([]);
    expect(result.apps.map((a) => [a.name, a.source.type === "image" && a.source.image])).toEqual([
      ["acme-stg-api", `ghcr.io/acme/api:1.4.2@sha256:4f1c${"0".repeat(60)}`],
    ]);
  });

  it("the gate and built-app examples evaluate", async () => {
    const gate = all.filter((s) => s.words[0] === "project.yaml")[1]!;
    const web = all.find((s) => s.words[0] === "staging/web/app.yaml")!;
    const result = await evaluateTree(
      memoryFileTree({ "project.yaml": gate.text, "staging/web/app.yaml": web.text }),
      options,
    );
    expect(result.errors).toEqual([]);
    expect(result.waves?.gate).toEqual({ branch: "auto" });
    expect(result.apps[0]?.source).toMatchObject({ type: "git", service: "web" });
  });

  it("every shell command names a real route with its token, or a secret Tower reads", async () => {
    const res = await createApi().request("/openapi.json", {}, { PUBLIC_API: "true" });
    const doc = (await res.json()) as { paths: Record<string, Record<string, { security?: object[] }>> };
    const env = readFileSync(resolve(root, "src/env.ts"), "utf8");
    const tokens: Record<string, string> = { apiToken: "API", adminToken: "ADMIN", ciToken: "CI" };
    for (const s of all.filter((x) => x.lang === "sh")) {
      for (const command of commands(s)) {
        let m = command.match(/^npx wrangler secret put ([A-Z_]+)$/);
        if (m) {
          expect(env, command).toMatch(new RegExp(`^\\s+${m[1]}\\?: string;`, "m"));
          continue;
        }
        if (/^npm run bench -- waves$/.test(command)) continue;
        m = command.match(/^curl (?:-X (POST) )?-H "Authorization: Bearer \$([A-Z]+)_TOKEN" "\$TOWER\/api([^"]+)"/);
        expect(m, command).not.toBeNull();
        const method = (m![1] ?? "get").toLowerCase();
        const path = Object.keys(doc.paths).find((p) => new RegExp(`^${p.replace(/\{\w+\}/g, "[^/]+")}$`).test(m![3]!));
        expect(path, command).toBeDefined();
        const op = doc.paths[path!]![method];
        expect(op, command).toBeDefined();
        const scheme = Object.keys(op!.security?.[0] ?? {})[0]!;
        expect(tokens[scheme], command).toBe(m![2]);
      }
    }
  });
});
