import { describe, expect, it } from "vitest";
import { evaluateTree, memoryFileTree, readFlags } from "../../../src/config";

describe("flyctl flags in launch_params / deploy_params", () => {
  it("reads --flag value, --flag=value and --ha forms, collecting the rest", () => {
    expect(
      readFlags(["--vm-size", "performance-1x", "--region=fra", "-o", "acme", "--ha", "--now", "--remote-only"]),
    ).toEqual({
      vmSize: "performance-1x",
      region: "fra",
      org: "acme",
      ha: true,
      ignored: ["--now", "--remote-only"],
      at: { vmSize: 1, region: 2, org: 4, ha: 5 },
    });
    expect(readFlags(["--ha=false"]).ha).toBe(false);
  });

  it("fill what the file leaves out, lose to what it sets (with a warning), and --ha means two machines", async () => {
    const app = [
      "app: flags",
      "vm_size: shared-cpu-2x",
      "launch_params: [--region, fra, --org, flag-org, --vm-size, performance-1x, --ha]",
      "deploy_params: [--detach]",
      "",
    ].join("\n");
    const ev = await evaluateTree(memoryFileTree({ "a/app.yaml": app }), {
      secrets: () => undefined,
      defaultOrg: "default-org",
    });
    expect(ev.errors).toEqual([]);
    const [resolved] = ev.apps;
    expect([resolved!.primaryRegion, resolved!.org, resolved!.config.vm_size, resolved!.config.machines]).toEqual([
      "fra",
      "flag-org",
      "shared-cpu-2x",
      { count: 2 },
    ]);
    expect(ev.warnings.map((w) => `${w.line}:${w.col} ${w.message}`)).toEqual([
      "4:16 flags Tower ignores: --detach",
      "2:10 vm_size shared-cpu-2x wins over the flag's performance-1x",
    ]);
  });

  it("refuses a --name that is not the app's name", async () => {
    const ev = await evaluateTree(
      memoryFileTree({ "a/app.yaml": "app: right\nprimary_region: ams\nlaunch_params: [--name, wrong]\n" }),
      {
        secrets: () => undefined,
        defaultOrg: "o",
      },
    );
    expect(ev.apps).toEqual([]);
    expect(ev.errors[0]).toMatchObject({
      line: 3,
      col: 25,
      path: "launch_params[1]",
      message: "--name wrong is not the app's name right",
    });
  });
});
