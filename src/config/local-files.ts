import { diagnostic, type Locate } from "./diagnostic";
import type { FileTree } from "./file-tree";
import { isPlainObject, type PlainObject } from "./merge";
import { joinPath } from "./paths";
import type { Diagnostic } from "./resolved-app";

/** Machine configs are small; a bigger file is a mistake (a binary, a dump), not content to ship. */
const MAX_BYTES = 1024 * 1024;

/**
 * Reads the files an app file names by path, relative to its folder in the config tree: `[[files]]
 * local_path` (flyctl reads it from disk, internal/appconfig/config.go `toMachineFile`) becomes
 * `raw_value`, and a `machine_config` that names a file becomes that file's JSON. Done before
 * hashing, so an edit to such a file is a change to the app.
 */
export async function readLocalFiles(
  config: PlainObject,
  tree: FileTree,
  dir: string,
  file: string,
  locate: Locate,
): Promise<{ config?: PlainObject; diagnostics: Diagnostic[] }> {
  const diagnostics: Diagnostic[] = [];
  const fail = (path: (string | number)[], message: string) =>
    diagnostics.push(diagnostic("error", file, locate(path), message, path));
  const read = async (rel: string, path: (string | number)[]) => {
    const at = joinPath(dir, rel);
    const text = at === undefined ? undefined : await tree.read(at);
    if (at === undefined) fail(path, `${rel} points outside the config tree`);
    else if (text === undefined) fail(path, `${at} is not in ${tree.label}`);
    else if (text.length > MAX_BYTES) fail(path, `${at} is larger than 1 MiB`);
    else return text;
    return undefined;
  };
  const out: PlainObject = { ...config };
  if (Array.isArray(config.files)) {
    out.files = await Promise.all(
      config.files.map(async (f, i) => {
        if (!isPlainObject(f) || typeof f.local_path !== "string") return f;
        const { local_path, ...rest } = f;
        return { ...rest, raw_value: (await read(local_path, ["files", i, "local_path"])) ?? "" };
      }),
    );
  }
  const experimental = isPlainObject(config.experimental) ? config.experimental : undefined;
  for (const [holder, path] of [
    [experimental, ["experimental", "machine_config"]],
    [config, ["machine_config"]],
  ] as const) {
    const value = holder?.machine_config;
    if (typeof value !== "string" || value.trim() === "") continue;
    const text = value.trim().startsWith("{") ? value : await read(value, [...path]);
    if (text === undefined) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      fail([...path], `machine_config is not JSON: ${e instanceof Error ? e.message : String(e)}`);
      continue;
    }
    if (!isPlainObject(parsed)) fail([...path], "machine_config is not a JSON object");
    else if (holder === experimental) out.experimental = { ...experimental, machine_config: JSON.stringify(parsed) };
    else out.machine_config = JSON.stringify(parsed);
  }
  diagnostics.sort((a, b) => a.line - b.line || a.col - b.col);
  return diagnostics.length > 0 ? { diagnostics } : { config: out, diagnostics };
}
