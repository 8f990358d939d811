/** `tower plan --json` shows the release-command machine's config as `deploy.releaseMachine`. */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = new URL("../../../", import.meta.url).pathname;

describe("tower plan --json", { timeout: 30_000 }, () => {
  it("has deploy.releaseMachine: the machine config Tower sends for release_command", () => {
    const dir = mkdtempSync(join(tmpdir(), "tower-release-"));
    writeFileSync(
      join(dir, "fly.toml"),
      [
        'app = "rel"',
        'primary_region = "ams"',
        "[build]",
        '  image = "nginx:1"',
        "[deploy]",
        '  release_command = "bin/migrate up"',
        "  [deploy.release_command_vm]",
        '    size = "performance-1x"',
        "",
      ].join("\n"),
    );
    const r = spawnSync(process.execPath, [join(root, "bin/tower.mjs"), "plan", dir, "--json"], {
      cwd: root,
      encoding: "utf8",
      timeout: 20_000,
    });
    expect(r.status).toBe(0);
    const app = JSON.parse(r.stdout).apps[0];
    expect(app.deploy.releaseMachine).toEqual({
      image: "nginx:1",
      init: { cmd: ["bin/migrate", "up"] },
      env: { RELEASE_COMMAND: "1", FLY_PROCESS_GROUP: "fly_app_release_command", PRIMARY_REGION: "ams" },
      restart: { policy: "no" },
      auto_destroy: true,
      dns: { skip_registration: true },
      metadata: { fly_platform_version: "v2", fly_process_group: "fly_app_release_command" },
      guest: { cpu_kind: "performance", cpus: 1, memory_mb: 2048 },
    });
  });
});
