/**
 * The root project.yaml's `waves:` and `gate:`, resolved against the evaluated apps: which apps
 * each wave holds, which images file it reads (the one its apps name in `from`), and the images
 * that file holds now. Pure; problems name project.yaml's place.
 */
import { diagnostic, type Locate } from "./diagnostic";
import type { FileTree } from "./file-tree";
import type { WaitingApp } from "./image-from";
import { type ImagesFile, parseImagesFile } from "./images-file";
import { joinPath } from "./paths";
import type { Diagnostic, ResolvedApp } from "./resolved-app";
import type { ProjectFile } from "./schema/project-schema";

export interface ResolvedWave {
  name: string;
  /** The apps it holds (names, sorted), patterns expanded against the evaluated apps. */
  apps: string[];
  /** Its apps left out until the file names their service (they deploy once it does). */
  waiting: string[];
  /** The services its apps read from the file: what CI may announce to it. */
  services: string[];
  /** Its images file, a path in the config repo: `images`, default `images/<wave>.json`. */
  file: string;
  /** What that file holds at the evaluated commit ({} when it does not exist yet). */
  images: ImagesFile;
  /** Healthy time the wave before must have had before this one gets its digests. */
  soakMs: number;
  /** `manual`: promotion into this wave waits for an admin's POST /api/waves/{wave}/promote. */
  approve: "auto" | "manual";
}

export interface WavesConfig {
  waves: ResolvedWave[];
  /** `gate.branch`: Tower's commits go there first; the deploy branch follows after CI passed. */
  gate: { branch: string } | null;
}

export interface RootWaves {
  file: string;
  /** Folder of the root project: where images files are named from. */
  dir: string;
  locate: Locate;
  waves?: ProjectFile["waves"];
  gate?: ProjectFile["gate"];
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

export function durationMs(value: number | string | undefined): number {
  if (value === undefined) return 0;
  if (typeof value === "number") return value * 1000;
  const m = /^(\d+)(ms|s|m|h)$/.exec(value);
  return m ? Number(m[1]) * UNITS[m[2]!]! : 0;
}

export async function resolveWaves(
  root: RootWaves,
  apps: ResolvedApp[],
  waitingApps: WaitingApp[],
  tree: FileTree,
): Promise<{ config?: WavesConfig; diagnostics: Diagnostic[] }> {
  const diagnostics: Diagnostic[] = [];
  const note = (severity: Diagnostic["severity"], at: (string | number)[], message: string) =>
    diagnostics.push(diagnostic(severity, root.file, root.locate(at), message, at));
  if (!root.waves) return { config: root.gate ? { waves: [], gate: root.gate } : undefined, diagnostics };
  const waves: ResolvedWave[] = [];
  const holder = new Map<string, string>();
  for (const [i, spec] of root.waves.entries()) {
    if (waves.some((w) => w.name === spec.name))
      note("error", ["waves", i, "name"], `wave ${spec.name} is named twice`);
    const names = new Set<string>();
    for (const [j, pattern] of spec.apps.entries()) {
      const re = new RegExp(`^${pattern.replaceAll("*", ".*")}$`);
      const matched = [...apps, ...waitingApps].filter((a) => re.test(a.name)).map((a) => a.name);
      if (matched.length === 0) note("warning", ["waves", i, "apps", j], `${pattern} matches no app`);
      for (const name of matched) names.add(name);
    }
    for (const name of names) {
      const other = holder.get(name);
      if (other !== undefined) note("error", ["waves", i, "apps"], `app ${name} is in waves ${other} and ${spec.name}`);
      holder.set(name, spec.name);
    }
    // The wave's file: named, or images/<wave>.json beside the root project.yaml.
    const file = joinPath(root.dir, spec.images ?? `images/${spec.name}.json`);
    if (file === undefined) note("error", ["waves", i, "images"], `${spec.images} points outside the config tree`);
    for (const app of apps) {
      const from = app.source.type === "image" ? app.source.from : undefined;
      if (names.has(app.name) && from && from.file !== file)
        note(
          "error",
          ["waves", i, "apps"],
          `app ${app.name} of wave ${spec.name} reads ${from.file}, not the wave's ${file}`,
        );
    }
    const services = new Set<string>();
    for (const app of apps)
      if (names.has(app.name) && app.source.type === "image" && app.source.from) services.add(app.source.from.service);
    for (const app of waitingApps) if (names.has(app.name)) services.add(app.service);
    const waiting = waitingApps
      .filter((a) => names.has(a.name))
      .map((a) => a.name)
      .sort();
    for (const app of waitingApps)
      if (names.has(app.name) && app.file !== file)
        note(
          "error",
          ["waves", i, "apps"],
          `app ${app.name} of wave ${spec.name} reads ${app.file}, not the wave's ${file}`,
        );
    let images: ImagesFile = {};
    if (file !== undefined) {
      const text = await tree.read(file);
      const parsed = text === undefined ? null : parseImagesFile(text);
      if (parsed?.ok) images = parsed.images;
    }
    const approve = spec.approve ?? "auto";
    const soakMs = durationMs(spec.soak);
    const deployable = [...names].filter((n) => !waiting.includes(n)).sort();
    const wave = { name: spec.name, apps: deployable, waiting, services: [...services].sort() };
    waves.push({ ...wave, file: file ?? "", images, soakMs, approve });
  }
  if (diagnostics.some((d) => d.severity === "error")) return { diagnostics };
  return { config: { waves, gate: root.gate ?? null }, diagnostics };
}
