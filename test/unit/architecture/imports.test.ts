import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/*
 * The import graph of src/: no cycles, and every arrow points down DESIGN's order
 * worker → durable → fly/git/notify/registry → config → base. src/cli may import base, config, git and fly. src/errors.ts,
 * src/version.ts and src/env.ts are leaves anyone may import. fly and git may use config's
 * *types* only: a value import from config into them is refused (registry too).
 */

const root = resolve(import.meta.dirname, "../../..");
const src = join(root, "src");

interface Edge {
  from: string;
  to: string;
  typeOnly: boolean;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith(".d.ts") ? [path] : [];
  });
}

/** A relative specifier resolved to a file under src/, or null for packages and runtime modules. */
function resolveSpecifier(fromFile: string, specifier: string, files: Set<string>): string | null {
  if (!specifier.startsWith(".")) return null;
  const base0 = resolve(dirname(fromFile), specifier);
  if (!base0.startsWith(`${src}/`)) return null; // package.json and the like, outside src/
  const base = resolve(dirname(fromFile), specifier);
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, join(base, "index.ts"), join(base, "index.tsx")]) {
    if (files.has(candidate)) return candidate;
  }
  throw new Error(`${relative(root, fromFile)}: cannot resolve import "${specifier}"`);
}

/** Static imports and re-exports, plus `import("x")` types; type-only when nothing is a value. */
function importsOf(file: string, text: string): { specifier: string; typeOnly: boolean }[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, file.endsWith(".tsx") ? 4 : 3);
  const found: { specifier: string; typeOnly: boolean }[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const named = clause?.namedBindings;
      const allInlineTypes =
        !!named && ts.isNamedImports(named) && named.elements.length > 0 && named.elements.every((e) => e.isTypeOnly);
      const typeOnly = !!clause && (clause.isTypeOnly || (!clause.name && allInlineTypes));
      found.push({ specifier: node.moduleSpecifier.text, typeOnly });
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.exportClause;
      const allInlineTypes =
        !!clause &&
        ts.isNamedExports(clause) &&
        clause.elements.length > 0 &&
        clause.elements.every((e) => e.isTypeOnly);
      found.push({ specifier: node.moduleSpecifier.text, typeOnly: node.isTypeOnly || allInlineTypes });
    } else if (ts.isImportTypeNode(node)) {
      const arg = node.argument;
      if (ts.isLiteralTypeNode(arg) && ts.isStringLiteral(arg.literal)) {
        found.push({ specifier: arg.literal.text, typeOnly: true });
      }
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      found.push({ specifier: node.arguments[0].text, typeOnly: false });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

function graph(): Edge[] {
  const files = sourceFiles(src);
  const set = new Set(files);
  return files.flatMap((file) =>
    importsOf(file, readFileSync(file, "utf8")).flatMap(({ specifier, typeOnly }) => {
      const target = resolveSpecifier(file, specifier, set);
      return target ? [{ from: relative(src, file), to: relative(src, target), typeOnly }] : [];
    }),
  );
}

const LEAVES = new Set(["errors.ts", "version.ts", "env.ts"]);

/** The top-level area of a src/ path: `config`, `fly`, …, or the leaf file's name. */
const area = (path: string) => path.split("/")[0]!;

/** src/base holds the small pure vocabulary config, fly and git share (canonical JSON, repo URLs…). */
const RANK: Record<string, number> = {
  base: 0,
  config: 1,
  fly: 2,
  git: 2,
  notify: 2,
  registry: 2,
  durable: 3,
  worker: 4,
};

/** Why an edge breaks the layering, or null when it is allowed. */
function layerViolation(edge: Edge): string | null {
  const from = area(edge.from);
  const to = area(edge.to);
  if (LEAVES.has(edge.to)) return null;
  if (LEAVES.has(edge.from)) return "a leaf module imports from src/";
  if (from === to) return null;
  if (
    (from === "fly" || from === "git" || from === "notify" || from === "registry") &&
    to === "config" &&
    !edge.typeOnly
  ) {
    return `${from} may import config's types only`;
  }
  if (from === "cli")
    return ["base", "config", "git", "fly"].includes(to) ? null : `cli may import base, config, git and fly only`;
  const rankFrom = RANK[from];
  const rankTo = RANK[to];
  if (rankFrom === undefined || rankTo === undefined) return `unknown area (${from} → ${to})`;
  return rankFrom > rankTo ? null : `points up or sideways (${from} → ${to})`;
}

/** Every cycle's files, one list per strongly connected component with more than one file. */
function cycles(edges: Edge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const { from, to } of edges) next.set(from, [...(next.get(from) ?? []), to]);
  const nodes = [...new Set(edges.flatMap((e) => [e.from, e.to]))];
  // Tarjan's strongly connected components.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  let counter = 0;
  const connect = (v: string) => {
    index.set(v, counter);
    low.set(v, counter);
    counter++;
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      const selfLoop = (next.get(v) ?? []).includes(v);
      if (component.length > 1 || selfLoop) components.push(component.sort());
    }
  };
  for (const v of nodes) if (!index.has(v)) connect(v);
  return components;
}

/**
 * Cycles known and being broken on a branch; empty now (build-driver ↔ deploy-driver went with
 * DriverContext's move to durable/app/driver-context.ts). Add one only with the branch that ends it.
 */
const PENDING_CYCLES: string[] = [];

describe("src/ import graph", () => {
  const edges = graph();

  it("reads the imports of the tree (the graph is not empty)", () => {
    expect(edges.length).toBeGreaterThan(100);
    expect(edges).toContainEqual({ from: "worker/index.ts", to: "durable/app-do.ts", typeOnly: false });
  });

  it("has no import cycle, type-only imports included", () => {
    expect(cycles(edges).filter((c) => !PENDING_CYCLES.includes(c.join(" ")))).toEqual([]);
  });

  it("lists no pending cycle that is already gone", () => {
    const found = cycles(edges).map((c) => c.join(" "));
    expect(PENDING_CYCLES.filter((c) => !found.includes(c))).toEqual([]);
  });

  it("points every arrow down worker → durable → fly/git → config → base", () => {
    const wrong = edges.flatMap((edge) => {
      const why = layerViolation(edge);
      return why ? [`${edge.from} → ${edge.to}${edge.typeOnly ? " (type)" : ""}: ${why}`] : [];
    });
    expect(wrong).toEqual([]);
  });
});

describe("the checker itself", () => {
  it("finds a cycle and a self-loop, and nothing in a chain", () => {
    const e = (from: string, to: string): Edge => ({ from, to, typeOnly: true });
    expect(cycles([e("a", "b"), e("b", "c"), e("c", "a"), e("c", "d")])).toEqual([["a", "b", "c"]]);
    expect(cycles([e("a", "a")])).toEqual([["a"]]);
    expect(cycles([e("a", "b"), e("b", "c")])).toEqual([]);
  });

  it("refuses upward arrows and config values in fly/git, allows config types", () => {
    expect(layerViolation({ from: "durable/x.ts", to: "worker/y.ts", typeOnly: true })).toMatch(/points up/);
    expect(layerViolation({ from: "fly/x.ts", to: "config/y.ts", typeOnly: false })).toMatch(/types only/);
    expect(layerViolation({ from: "git/x.ts", to: "config/y.ts", typeOnly: true })).toBeNull();
    expect(layerViolation({ from: "fly/x.ts", to: "git/y.ts", typeOnly: false })).toMatch(/sideways/);
    expect(layerViolation({ from: "cli/x.ts", to: "durable/y.ts", typeOnly: false })).toMatch(/cli may/);
    expect(layerViolation({ from: "env.ts", to: "durable/y.ts", typeOnly: true })).toMatch(/leaf/);
    expect(layerViolation({ from: "config/x.ts", to: "errors.ts", typeOnly: false })).toBeNull();
    expect(layerViolation({ from: "fly/x.ts", to: "base/y.ts", typeOnly: false })).toBeNull();
    expect(layerViolation({ from: "base/x.ts", to: "config/y.ts", typeOnly: true })).toMatch(/points up/);
  });

  it("tells type-only imports from value imports", () => {
    const text = [
      'import type { A } from "./a";',
      'import { type B, type C } from "./b";',
      'import { D, type E } from "./d";',
      'export type { F } from "./f";',
      'export { G } from "./g";',
      'type H = import("./h").H;',
    ].join("\n");
    expect(importsOf("x.ts", text)).toEqual([
      { specifier: "./a", typeOnly: true },
      { specifier: "./b", typeOnly: true },
      { specifier: "./d", typeOnly: false },
      { specifier: "./f", typeOnly: true },
      { specifier: "./g", typeOnly: false },
      { specifier: "./h", typeOnly: true },
    ]);
  });
});
