import { describe, expect, it } from "vitest";
import { formatDiagnostic, readAppFile } from "../../../src/config";
import { emptyCommon } from "../../../src/config/common";

const read = (file: string, text: string) => readAppFile(file, text, emptyCommon).diagnostics.map(formatDiagnostic);

describe("diagnostics name file, line, column and field", () => {
  it("reports every problem of a yaml file, not just the first", () => {
    const text = [
      "app: My_App",
      "primary_region: amsterdam",
      "http_service:",
      "  internal_port: '8080'",
      "  auto_stop_machines: sometimes",
      "machines:",
      "  ram_mb: 300",
      "  count: -1",
      "shiny_new_fly_field: true",
      "",
    ].join("\n");
    expect(read("apps/x/app.yaml", text)).toEqual([
      "apps/x/app.yaml:1:6: error: app: an app name is a DNS label: a-z, 0-9 and -, at most 63",
      "apps/x/app.yaml:2:17: error: primary_region: a region code is three lowercase letters, e.g. ams",
      "apps/x/app.yaml:4:18: error: http_service.internal_port: Invalid input: expected number, received string",
      expect.stringMatching(/^apps\/x\/app\.yaml:5:23: error: http_service\.auto_stop_machines: /),
      "apps/x/app.yaml:7:11: error: machines.ram_mb: memory is a multiple of 256 MB",
      "apps/x/app.yaml:8:10: error: machines.count: Too small: expected number to be >=0",
      'apps/x/app.yaml:9:1: warning: shiny_new_fly_field: unknown field "shiny_new_fly_field": kept and passed through as is',
    ]);
  });

  it("keeps unknown fields (a warning, not an error) and passes them through", () => {
    const result = readAppFile(
      "a.yaml",
      "app: a\nprimary_region: ams\nhttp_service:\n  internal_port: 80\n  future: {x: 1}\n",
      emptyCommon,
    );
    expect(result.config?.http_service).toEqual({ internal_port: 80, future: { x: 1 } });
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([
      'a.yaml:5:3: warning: http_service.future: unknown field "future": kept and passed through as is',
    ]);
  });

  it("says what flycd's merge_cfg means here instead of calling it unknown", () => {
    expect(read("a.yaml", "app: a\nprimary_region: ams\nmerge_cfg:\n  all: true\n")).toEqual([
      "a.yaml:3:1: warning: merge_cfg: merge_cfg is ignored: Tower does not merge the source repo's fly.toml; put its fields in this file",
    ]);
  });

  it("gives yaml syntax errors their place", () => {
    expect(read("a.yaml", "app: a\nenv:\n  A: 1\n   B: 2\n")).toEqual([
      "a.yaml:3:6: error: Nested mappings are not allowed in compact mappings",
      "a.yaml:3:6: error: Implicit keys need to be on a single line",
    ]);
  });

  it("gives toml syntax errors smol-toml's line and column, schema errors the key's line", () => {
    expect(read("fly.toml", 'app = "a"\nprimary_region = "ams"\n[env\nX = 1\n')).toEqual([
      expect.stringMatching(/^fly\.toml:3:\d+: error: /),
    ]);
    const toml =
      'app = "a"\nprimary_region = "ams"\n\n[[services]]\n  protocol = "tcp"\n  internal_port = 8080\n\n[[services]]\n  protocol = "sctp"\n  internal_port = 9\n';
    expect(read("fly.toml", toml)).toEqual([expect.stringMatching(/^fly\.toml:9:3: error: services\[1\]\.protocol: /)]);
  });

  it("refuses buildpacks with what to do instead, and a files entry with two sources", () => {
    const text =
      "app: a\nprimary_region: ams\nbuild:\n  builder: paketobuildpacks/builder:base\nfiles:\n  - guest_path: /x\n    local_path: ./x\n    raw_value: x\n";
    const out = read("a.yaml", text);
    expect(out).toHaveLength(2);
    expect(out[0]).toBe(
      "a.yaml:4:12: error: build.builder: buildpacks are not supported: Tower builds with BuildKit. Add a Dockerfile (source.dockerfile or build.dockerfile) or deploy a prebuilt image with build.image",
    );
    expect(out).toContain("a.yaml:6:5: error: files[0]: give exactly one of raw_value, local_path or secret_name");
  });

  it("refuses a second mount for a process group (flyctl validateMounts), at its line", () => {
    const toml = [
      'app = "a"',
      'primary_region = "ams"',
      "[processes]",
      'app = "web"',
      'worker = "work"',
      "[[mounts]]",
      '  source = "data"',
      '  destination = "/data"',
      "[[mounts]]",
      '  source = "jobs"',
      '  destination = "/jobs"',
      '  processes = ["worker"]',
      "[[mounts]]",
      '  source = "more"',
      '  destination = "/more"',
      "",
    ].join("\n");
    // The first mount has no processes: it is the default group's (app), so only app has two.
    expect(read("fly.toml", toml)).toEqual([
      "fly.toml:13:1: error: mounts[2]: process group app has more than one mount: a Fly machine mounts one volume",
    ]);
  });

  it("refuses a check without a port for a group without an http_service (flyctl machines.go)", () => {
    const toml =
      'app = "a"\nprimary_region = "ams"\n[processes]\napp = "web"\nworker = "w"\n[http_service]\n  internal_port = 8080\n[checks.alive]\n  type = "tcp"\n  processes = ["app", "worker"]\n';
    expect(read("fly.toml", toml)).toEqual([
      "fly.toml:8:1: error: checks.alive: check alive has no port and process group worker has no http_service to take it from",
    ]);
  });

  it("checks references between sections and flycd source rules", () => {
    const text = [
      "app: a",
      "primary_region: ams",
      "processes: {web: run}",
      "http_service: {internal_port: 80, processes: [worker]}",
      "source: {type: git, ref: {commit: abc123}}",
      "vm_size: shared-cpu-3x",
      "",
    ].join("\n");
    expect(read("a.yaml", text)).toEqual([
      'a.yaml:4:47: error: http_service.processes[0]: no process group "worker" (groups: web)',
      "a.yaml:5:9: error: source.repo: type git needs repo",
      "a.yaml:5:35: error: source.ref.commit: a commit is the full 40-character hash",
      'a.yaml:6:10: error: vm_size: unknown VM size "shared-cpu-3x": use one of shared-cpu-1x, shared-cpu-2x, shared-cpu-4x, shared-cpu-6x, shared-cpu-8x, performance-1x, performance-2x, performance-4x, performance-6x, performance-8x, performance-10x, performance-12x, performance-14x, performance-16x, a100-40gb, a100-80gb, l40s, a10',
    ]);
  });
});
