/**
 * flyctl's own expectations of its fly.toml mapping (internal/appconfig/machines_test.go, the
 * `TestToMachineConfig*` and `TestToReleaseMachineConfig*` cases) as data: the fly.toml in and the
 * machine config flyctl expects out, in test/fixtures/config/flyctl. Tower's mapping is compared
 * field by field (each key of env, metadata and checks on its own); where Tower differs on purpose
 * the case lists the path, what Tower gives and why (also in docs/config.md).
 */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { evaluateTree, memoryFileTree, toDesiredApp } from "../../../src/config";
import type { DesiredApp } from "../../../src/config/desired-app";
import type { FlyMachineConfig } from "../../../src/config/fly-machine-config";
import { defaultGroup } from "../../../src/config/machine/groups";
import type { FlyMachine } from "../../../src/fly/client/fly-types";
import { planDeploy } from "../../../src/fly/plan/plan-deploy";

const dir = new URL("../../fixtures/config/flyctl/", import.meta.url);

interface Difference {
  path: string;
  tower: unknown;
  reason: string;
}
interface Case {
  name: string;
  of: "machine" | "release" | "update" | "error";
  group?: string;
  toml?: string;
  append?: string;
  live?: FlyMachineConfig;
  compare?: "all" | string[];
  want: Record<string, unknown>;
  differences: Difference[];
}
interface CaseFile {
  source: string;
  fixture: string | null;
  toml?: string;
  prepend?: string;
  cases: Case[];
}

/** Maps whose keys are compared one by one, so a difference can name a single key. */
const maps = new Set(["env", "metadata", "checks"]);

const files = readdirSync(dir).filter((f) => f.endsWith(".json"));
const totals = { cases: 0, fields: 0, differences: 0 };

async function evaluate(file: CaseFile, c: Case) {
  let text = c.toml ?? file.toml ?? readFileSync(new URL(file.fixture!, dir), "utf8");
  if (file.prepend && !c.toml) text = `${file.prepend}\n${text}`;
  if (c.append) text = `${text}\n${c.append}\n`;
  return evaluateTree(memoryFileTree({ "app/fly.toml": text }), { secrets: () => undefined, defaultOrg: "acme" });
}

function desiredOf(app: Parameters<typeof toDesiredApp>[0]): DesiredApp {
  const desired = toDesiredApp(app, {
    image: `registry.fly.io/${app.name}:deployment-1`,
    secretValues: {},
    releaseId: "rel_1",
    releaseVersion: 7,
  });
  return JSON.parse(JSON.stringify(desired).replaceAll(app.configHash, "HASH"));
}

/** What Tower sends for an existing machine that runs `live` (flyctl: ToMachineConfig(group, src)). */
function updated(desired: DesiredApp, group: string, live: FlyMachineConfig): FlyMachineConfig {
  const metadata = { ...live.metadata, fly_platform_version: "v2", fly_process_group: group };
  const machine: FlyMachine = {
    id: "m1",
    name: `${group}-1`,
    region: desired.primaryRegion,
    state: "started",
    config: { ...live, image: "registry.fly.io/old:1", metadata },
  } as FlyMachine;
  const plan = planDeploy(desired, {
    name: desired.name,
    exists: true,
    machines: [machine],
    volumes: [],
    secretNames: [],
    secretsDigest: desired.secretsDigest,
    ips: [],
  });
  for (const step of plan.steps)
    if (step.kind === "machines")
      for (const change of step.changes)
        if ((change.op === "update" || change.op === "replace") && change.machineId === "m1") return change.config;
  throw new Error("the plan has no update of the live machine");
}

function get(value: unknown, path: string): unknown {
  let v = value;
  for (const part of path.split(".")) v = v && typeof v === "object" ? (v as Record<string, unknown>)[part] : undefined;
  return v;
}

/** flyctl's `assert.Empty`: nil, an empty list and an empty map are all "nothing". */
function norm(v: unknown): unknown {
  if (v === null || v === undefined) return undefined;
  if (Array.isArray(v) && v.length === 0) return undefined;
  if (typeof v === "object" && !Array.isArray(v) && Object.keys(v).length === 0) return undefined;
  return v;
}

function pathsOf(c: Case, got: Record<string, unknown>): string[] {
  const top =
    c.compare === "all" || !c.compare ? [...new Set([...Object.keys(c.want), ...Object.keys(got)])] : c.compare;
  return top.flatMap((p) => {
    if (!maps.has(p)) return [p];
    const keys = new Set([
      ...Object.keys((get(c.want, p) as object | undefined) ?? {}),
      ...Object.keys((get(got, p) as object | undefined) ?? {}),
    ]);
    return [...keys].map((k) => `${p}.${k}`);
  });
}

describe("flyctl machines_test.go cases, field by field", () => {
  for (const name of files) {
    const file: CaseFile = JSON.parse(readFileSync(new URL(name, dir), "utf8"));
    describe(name.replace(/\.json$/, ""), () => {
      for (const c of file.cases) {
        it(c.name, async () => {
          totals.cases++;
          const ev = await evaluate(file, c);
          if (c.of === "error") {
            const errors = ev.errors.map((d) => `${d.path ? `${d.path}: ` : ""}${d.message}`);
            const d = c.differences.find((x) => x.path === "error")!;
            expect(errors).toContain(d.tower);
            totals.fields++;
            totals.differences++;
            return;
          }
          expect(ev.errors).toEqual([]);
          const app = ev.apps[0]!;
          const desired = desiredOf(app);
          const group = c.group ? c.group : defaultGroup(app.config);
          const place = desired.groups.find((g) => g.processGroup === group && g.region === desired.primaryRegion)!;
          const config =
            c.of === "release"
              ? desired.deploy.releaseMachine
              : c.of === "update"
                ? updated(desired, group, c.live!)
                : place.config;
          const got = { ...config, group: place } as Record<string, unknown>;
          const used = new Set<string>();
          const paths = pathsOf(c, { ...config } as Record<string, unknown>);
          for (const p of paths) {
            const diff = c.differences.find((x) => x.path === p);
            const flyctl = p in c.want ? c.want[p] : get(c.want, p);
            if (diff) {
              used.add(p);
              totals.differences++;
              expect(norm(get(got, p)), `${p}: Tower's deliberate difference (${diff.reason})`).toEqual(
                norm(diff.tower),
              );
              expect(norm(flyctl), `${p}: listed as a difference but flyctl agrees`).not.toEqual(norm(diff.tower));
            } else {
              expect(norm(get(got, p)), p).toEqual(norm(flyctl));
            }
            totals.fields++;
          }
          expect(c.differences.map((d) => d.path).filter((p) => !used.has(p))).toEqual([]);
        });
      }
    });
  }

  it("compares what it says (counts for the notes)", () => {
    // Cases and field comparisons above; a case added or dropped changes these on purpose.
    expect(totals).toEqual({ cases: 26, fields: 98, differences: 20 });
  });
});
