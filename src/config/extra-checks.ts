import type { Finding } from "./check-schema";
import { isPlainObject, type PlainObject } from "./merge";
import { parseVmSize } from "./sizes";

const sections = ["http_service", "services", "checks", "mounts", "vm", "restart", "files", "metrics"] as const;

/** Rules a schema cannot say: what Tower refuses, and references between sections. */
export function extraChecks(app: PlainObject): Finding[] {
  const out: Finding[] = [];
  const err = (path: (string | number)[], message: string) => out.push({ severity: "error", path, message });
  const build = app.build;
  if (isPlainObject(build)) {
    for (const key of ["builder", "buildpacks"] as const) {
      if (build[key] !== undefined)
        err(
          ["build", key],
          "buildpacks are not supported: Tower builds with BuildKit. Add a Dockerfile (source.dockerfile or build.dockerfile) or deploy a prebuilt image with build.image",
        );
    }
  }
  if (app.merge_cfg !== undefined)
    out.push({
      severity: "warning",
      path: ["merge_cfg"],
      message: "merge_cfg is ignored: Tower does not merge the source repo's fly.toml; put its fields in this file",
      at: "key",
    });
  if (typeof app.vm_size === "string" && !parseVmSize(app.vm_size)) err(["vm_size"], unknownSize(app.vm_size));
  each(app.vm, (vm, i) => {
    if (typeof vm.size === "string" && !parseVmSize(vm.size)) err(["vm", i, "size"], unknownSize(vm.size));
  });
  each(app.files, (f, i) => {
    if (f.local_path !== undefined)
      err(
        ["files", i, "local_path"],
        "local_path is not supported: give the content as raw_value (base64) or use secret_name",
      );
    else if ((f.raw_value === undefined) === (f.secret_name === undefined))
      err(["files", i], "give exactly one of raw_value or secret_name");
  });
  if (isPlainObject(app.checks) && !isPlainObject(app.http_service)) {
    for (const [name, c] of Object.entries(app.checks))
      if (isPlainObject(c) && c.port === undefined)
        err(["checks", name, "port"], "port is required when there is no http_service");
  }
  const groups = isPlainObject(app.processes) ? Object.keys(app.processes) : ["app"];
  for (const section of sections) {
    const check = (entry: PlainObject, path: (string | number)[]) => {
      if (!Array.isArray(entry.processes)) return;
      entry.processes.forEach((g, j) => {
        if (typeof g === "string" && !groups.includes(g))
          err([...path, "processes", j], `no process group "${g}" (groups: ${groups.join(", ")})`);
      });
    };
    const value = app[section];
    if (Array.isArray(value)) {
      for (const [i, e] of value.entries()) if (isPlainObject(e)) check(e, [section, i]);
    } else if (section === "checks" && isPlainObject(value)) {
      for (const [name, c] of Object.entries(value)) if (isPlainObject(c)) check(c, [section, name]);
    } else if (isPlainObject(value)) {
      check(value, [section]);
    }
  }
  return out;
}

function each(list: unknown, fn: (item: PlainObject, i: number) => void) {
  if (!Array.isArray(list)) return;
  for (const [i, item] of list.entries()) if (isPlainObject(item)) fn(item, i);
}

const unknownSize = (s: string) => `unknown VM size "${s}": use shared-cpu-Nx or performance-Nx (N = 1, 2, 4, 8, 16)`;
