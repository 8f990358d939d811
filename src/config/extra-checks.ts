import type { Finding } from "./check-schema";
import { httpServicePort } from "./machine/checks";
import { appliesTo, list, processGroups } from "./machine/groups";
import { preset, unknownSizeMessage } from "./machine/presets";
import { isPlainObject, type PlainObject } from "./merge";

const sections = [
  "http_service",
  "services",
  "checks",
  "mounts",
  "vm",
  "compute",
  "restart",
  "files",
  "metrics",
] as const;

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
  // Sizes are fly-go's MachinePresets (machine_types.go); its SetSize refuses any other name.
  if (typeof app.vm_size === "string" && !preset(app.vm_size)) err(["vm_size"], unknownSizeMessage(app.vm_size));
  for (const key of ["vm", "compute"] as const)
    each(app[key], (vm, i) => {
      if (typeof vm.size === "string" && !preset(vm.size)) err([key, i, "size"], unknownSizeMessage(vm.size));
    });
  const release = isPlainObject(app.deploy) ? app.deploy.release_command_vm : undefined;
  if (isPlainObject(release) && typeof release.size === "string" && !preset(release.size))
    err(["deploy", "release_command_vm", "size"], unknownSizeMessage(release.size));
  each(app.files, (f, i) => {
    const given = ["raw_value", "local_path", "secret_name"].filter((k) => f[k] !== undefined);
    if (given.length !== 1) err(["files", i], "give exactly one of raw_value, local_path or secret_name");
  });
  const groups = processGroups(app);
  // flyctl machines.go: a check without a port takes its group's http_service port, or fails.
  if (isPlainObject(app.checks)) {
    for (const [name, c] of Object.entries(app.checks)) {
      if (!isPlainObject(c) || c.port !== undefined) continue;
      const bare = groups.filter((g) => appliesTo(app, c, g) && httpServicePort(app, g) === undefined);
      if (bare.length > 0)
        err(
          ["checks", name],
          `check ${name} has no port and process group ${bare.join(", ")} has no http_service to take it from`,
        );
    }
  }
  // flyctl validation.go validateMounts: a machine mounts at most one volume.
  for (const g of groups) {
    const mounts = list(app.mounts).filter((m) => appliesTo(app, m, g));
    if (mounts.length > 1) {
      const second = Array.isArray(app.mounts) ? app.mounts.indexOf(mounts[1]) : 0;
      err(["mounts", second], `process group ${g} has more than one mount: a Fly machine mounts one volume`);
    }
  }
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
