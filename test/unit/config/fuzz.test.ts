import { describe, expect, it } from "vitest";
import { appYamlToFlyToml, flyTomlToAppYaml, readAppFile, readProjectFile } from "../../../src/config";
import { emptyCommon } from "../../../src/config/common";

// A small deterministic PRNG so a failure can be replayed from its seed.
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const yamlSeed = `app: fuzz\nprimary_region: ams\nenv: {A: "1"}\nhttp_service:\n  internal_port: 80\n  checks: [{path: /h, interval: 10s}]\nmounts: [{source: data, destination: /d}]\nlist: &x [1, 2]\nagain: *x\n`;
const tomlSeed = `app = "fuzz"\nprimary_region = "ams"\n[env]\nA = "1"\n[[services]]\nprotocol = "tcp"\ninternal_port = 80\n[[services.ports]]\nport = 80\n`;
const alphabet = ` \n\t:-[]{}#&*!|>'"=.,0123456789abcdefxyz%@\`\\`;

function mutate(seed: string, next: () => number): string {
  const chars = [...seed];
  const edits = 1 + Math.floor(next() * 8);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(next() * (chars.length + 1));
    const op = next();
    if (op < 0.4) chars.splice(at, 1);
    else if (op < 0.8) chars.splice(at, 0, alphabet[Math.floor(next() * alphabet.length)]!);
    else chars.splice(at, 0, ...chars.slice(at, at + Math.floor(next() * 20)));
  }
  return chars.join("");
}

function expectGraceful(run: () => { diagnostics?: unknown[]; errors?: unknown[] }) {
  const result = run();
  for (const d of (result.diagnostics ?? result.errors ?? []) as { line: number; col: number; message: string }[]) {
    expect(d.line).toBeGreaterThanOrEqual(1);
    expect(typeof d.message).toBe("string");
  }
}

describe("parsers under random and truncated input", () => {
  it("every truncation of a valid file gives a result or errors, never a throw", () => {
    for (let n = 0; n <= yamlSeed.length; n++) {
      expectGraceful(() => readAppFile("a.yaml", yamlSeed.slice(0, n), emptyCommon));
      expectGraceful(() =>
        readProjectFile("project.yaml", `project: p\ncommon: {app_defaults: {env: {A: 1}}}\n`.slice(0, n)),
      );
    }
    for (let n = 0; n <= tomlSeed.length; n++)
      expectGraceful(() => readAppFile("fly.toml", tomlSeed.slice(0, n), emptyCommon));
  });

  it("600 random mutations per format: no throw, no hang", { timeout: 30_000 }, () => {
    const next = rng(20260512);
    const started = Date.now();
    for (let i = 0; i < 600; i++) {
      const y = mutate(yamlSeed, next);
      const t = mutate(tomlSeed, next);
      expectGraceful(() => readAppFile("a.yaml", y, emptyCommon));
      expectGraceful(() => readAppFile("fly.toml", t, emptyCommon));
      expectGraceful(() => appYamlToFlyToml(y));
      expectGraceful(() => flyTomlToAppYaml(t));
    }
    // A generous bound, only to catch a parser stuck on some input (not a speed test).
    expect(Date.now() - started).toBeLessThan(60_000);
  });

  it("alias bombs are refused, not expanded", () => {
    const bomb = `a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: [*d, *d, *d, *d, *d, *d, *d, *d, *d]\napp: x\n`;
    const result = readAppFile("a.yaml", bomb, emptyCommon);
    expect(result.config).toBeUndefined();
    expect(result.diagnostics[0]!.severity).toBe("error");
  });
});
